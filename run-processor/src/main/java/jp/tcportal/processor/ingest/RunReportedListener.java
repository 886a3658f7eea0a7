package jp.tcportal.processor.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jp.tcportal.processor.deadletter.DeadLetters;
import jp.tcportal.processor.deadletter.RecordRejectedException;
import jp.tcportal.processor.deadletter.RecordRejectedException.Reason;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Receives {@code tcportal.run-reported.v1} in batches. The container commits the batch's offsets
 * after this method returns (AckMode BATCH), that is after the database transaction committed and
 * every refused record was acknowledged by the dead-letter topic (or, when the dead-letter topic
 * kept refusing it, parked in PostgreSQL by {@link DeadLetters}).
 *
 * <p>If it throws, nothing of the batch is committed and {@link ListenerConfiguration}'s error
 * handler delivers the same batch again after a pause, for as long as it takes: a database outage
 * stops progress but never skips a record. Redelivery is harmless because a stored report is a
 * no-op the second time.
 */
@Component
class RunReportedListener {

  static final String ID = "run-reported";

  private static final Logger log = LoggerFactory.getLogger(RunReportedListener.class);
  private static final LogAccessor LOG_ACCESSOR = new LogAccessor(RunReportedListener.class);

  private final RunBatchStore store;
  private final DeadLetters deadLetters;
  private final BatchProgress progress;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter storedUnderDerivedId;
  private final Timer batchDuration;

  RunReportedListener(
      RunBatchStore store, DeadLetters deadLetters, BatchProgress progress, MeterRegistry meters) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.progress = progress;
    this.stored =
        Counter.builder("tcportal.processor.runs.stored")
            .description("Runs stored for the first time")
            .register(meters);
    this.duplicates =
        Counter.builder("tcportal.processor.runs.duplicates")
            .description("Reports already stored (redelivered or retried), ignored")
            .register(meters);
    this.storedUnderDerivedId =
        Counter.builder("tcportal.processor.runs.idempotency.conflicts")
            .description(
                "Different runs that reused a stored run's Idempotency-Key, stored under a derived"
                    + " report_id")
            .register(meters);
    this.batchDuration =
        Timer.builder("tcportal.processor.batch.duration")
            .description("Time to store one batch, dead letters included")
            .register(meters);
  }

  @KafkaListener(id = ID, idIsGroup = false, topics = Topics.RUN_REPORTED_NAME, batch = "true")
  void onBatch(List<ConsumerRecord<String, RunReported>> records, Consumer<?, ?> consumer) {
    try {
      batchDuration.record(() -> process(records, consumer));
      progress.succeeded(records.size());
    } catch (RuntimeException e) {
      progress.failed(e);
      log.warn("Batch of {} records failed, it will be retried: {}", records.size(), e.toString());
      throw e;
    }
  }

  private void process(List<ConsumerRecord<String, RunReported>> records, Consumer<?, ?> consumer) {
    List<Accepted> accepted = new ArrayList<>(records.size());
    List<Rejected> rejected = new ArrayList<>();
    for (ConsumerRecord<String, RunReported> record : records) {
      try {
        accepted.add(new Accepted(record, EventGuard.accept(read(record))));
      } catch (RecordRejectedException e) {
        rejected.add(new Rejected(record, e));
      }
    }
    // In record order: the store breaks ties between equal instants by arrival (offset).
    storeAccepted(accepted, rejected);
    // After the commit: a failure here redelivers the batch, whose stored part is then a no-op.
    rejected.sort(Comparator.comparingLong(r -> r.record().offset()));
    for (Rejected refused : rejected) {
      deadLetters.send(refused.record(), refused.reason(), consumer);
    }
  }

  private static RunReported read(ConsumerRecord<String, RunReported> record) {
    DeserializationException unreadable =
        SerializationUtils.getExceptionFromHeader(
            record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
    if (unreadable != null) {
      Throwable cause = unreadable.getCause() == null ? unreadable : unreadable.getCause();
      throw new RecordRejectedException(
          Reason.UNREADABLE,
          "Value is not a readable RunReported event: " + cause.getMessage(),
          unreadable);
    }
    if (record.value() == null) {
      throw new RecordRejectedException(Reason.UNREADABLE, "Record has no value", null);
    }
    return record.value();
  }

  /**
   * Stores the whole batch at once; if PostgreSQL refuses some record's data, stores the records
   * one by one so that only the offending ones are dead-lettered. An outage is not a data problem:
   * it propagates and the batch is retried.
   */
  private void storeAccepted(List<Accepted> accepted, List<Rejected> rejected) {
    try {
      count(store.store(accepted.stream().map(Accepted::event).toList()));
      return;
    } catch (RuntimeException e) {
      if (!DataProblems.isCausedByRecordData(e)) {
        throw e;
      }
      log.warn(
          "PostgreSQL refused data in a batch; storing its records one by one: {}", e.toString());
    }
    for (Accepted one : accepted) {
      try {
        count(store.store(List.of(one.event())));
      } catch (RuntimeException e) {
        if (!DataProblems.isCausedByRecordData(e)) {
          throw e;
        }
        rejected.add(
            new Rejected(
                one.record(),
                new RecordRejectedException(
                    Reason.REFUSED_BY_DATABASE, DataProblems.describe(e), e)));
      }
    }
  }

  private void count(RunBatchStore.Stored result) {
    stored.increment(result.runs());
    duplicates.increment(result.duplicates());
    storedUnderDerivedId.increment(result.storedUnderDerivedId());
  }

  private record Accepted(ConsumerRecord<String, RunReported> record, RunReported event) {}

  private record Rejected(
      ConsumerRecord<String, RunReported> record, RecordRejectedException reason) {}
}
