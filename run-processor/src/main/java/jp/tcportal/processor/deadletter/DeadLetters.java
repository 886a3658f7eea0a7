package jp.tcportal.processor.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tcportal.processor.ProcessorSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Sends refused records to {@code tcportal.run-reported.v1.dlt} and waits until Kafka acknowledged
 * each one, so the offset of a refused record is committed only once it is safe on the DLT.
 *
 * <p>A refused record whose dead-letter send keeps failing (too large for the DLT, the DLT gone)
 * would otherwise stall its partition for ever, since the batch is retried until the send succeeds.
 * After {@code tcportal.processor.dead-letter-attempts} failed deliveries it is parked in
 * PostgreSQL ({@link ParkedRecords}) instead, counted in {@code tcportal.processor.records.parked},
 * logged, and its offset is committed with the batch.
 *
 * <p>The DLT record keeps the original key and (for unreadable records) the original bytes; Kafka
 * picks the partition. Headers: {@value #REASON_HEADER} (a {@link RecordRejectedException.Reason}),
 * and Spring's {@code kafka_dlt-exception-message}, {@code kafka_dlt-exception-fqcn}, {@code
 * kafka_dlt-original-topic}, {@code -partition}, {@code -offset}.
 */
@Component
public class DeadLetters {

  public static final String REASON_HEADER = "tcportal_dlt-reason";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  /**
   * Failed sends per position; a parked position stays at {@code attempts}, so a batch delivered
   * again (because another refused record of it failed) does not send it again. A partition revoked
   * mid-retry can leave entries behind, hence the cap.
   */
  private static final int MAX_TRACKED_FAILURES = 10_000;

  private final DeadLetterPublishingRecoverer recoverer;
  private final ParkedRecords parked;
  private final int attempts;
  private final Map<RecordRejectedException.Reason, Counter> counters =
      new EnumMap<>(RecordRejectedException.Reason.class);
  private final Map<RecordRejectedException.Reason, Counter> parkedCounters =
      new EnumMap<>(RecordRejectedException.Reason.class);
  private final Map<Position, Integer> failedSends = new ConcurrentHashMap<>();

  DeadLetters(
      KafkaTemplate<Object, Object> kafka,
      ParkedRecords parked,
      ProcessorSettings settings,
      MeterRegistry meters) {
    this.parked = parked;
    this.attempts = settings.deadLetterAttempts();
    this.recoverer =
        new DeadLetterPublishingRecoverer(
            kafka, (record, e) -> new TopicPartition(Topics.RUN_REPORTED_DEAD_LETTER.name(), -1));
    recoverer.setFailIfSendResultIsError(true);
    recoverer.setWaitForSendResultTimeout(settings.deadLetterSendTimeout());
    recoverer.setHeadersFunction(
        (record, e) -> {
          RecordHeaders headers = new RecordHeaders();
          headers.add(REASON_HEADER, reasonOf(e).name().getBytes(StandardCharsets.UTF_8));
          return headers;
        });
    for (RecordRejectedException.Reason reason : RecordRejectedException.Reason.values()) {
      counters.put(
          reason,
          Counter.builder("tcportal.processor.records.dead_lettered")
              .description("Records sent to the dead-letter topic")
              .tag("reason", reason.name())
              .register(meters));
      parkedCounters.put(
          reason,
          Counter.builder("tcportal.processor.records.parked")
              .description(
                  "Refused records the dead-letter topic would not take, parked in PostgreSQL")
              .tag("reason", reason.name())
              .register(meters));
    }
  }

  /**
   * Publishes one refused record. If Kafka does not acknowledge it in time, throws (the batch is
   * delivered again after the back-off) until the record's sends failed {@code attempts} times;
   * then parks it and returns, so the batch's offsets are committed. Throws if parking fails too
   * (PostgreSQL down): that is an outage, retried like any other.
   */
  public void send(
      ConsumerRecord<?, ?> record, RecordRejectedException rejection, Consumer<?, ?> consumer) {
    Position position = new Position(record.topic(), record.partition(), record.offset());
    if (failedSends.getOrDefault(position, 0) >= attempts) {
      // Parked in an earlier delivery of this batch, which another refused record failed again.
      return;
    }
    log.warn("Dead-lettering {}: {} ({})", position, rejection.reason(), rejection.getMessage());
    try {
      recoverer.accept(record, consumer, rejection);
    } catch (RuntimeException sendFailure) {
      if (failedSends.size() >= MAX_TRACKED_FAILURES) {
        failedSends.clear();
      }
      int failures = failedSends.merge(position, 1, Integer::sum);
      if (failures < attempts) {
        log.warn(
            "Dead-letter send of {} failed ({} of {} attempts); the batch will be retried: {}",
            position,
            failures,
            attempts,
            sendFailure.toString());
        throw sendFailure;
      }
      park(record, rejection, position, failures, sendFailure);
      return;
    }
    failedSends.remove(position);
    counters.get(rejection.reason()).increment();
  }

  /** Parks the record; its count stays at {@code attempts}, so it is not sent again. */
  private void park(
      ConsumerRecord<?, ?> record,
      RecordRejectedException rejection,
      Position position,
      int failures,
      RuntimeException sendFailure) {
    try {
      parked.park(record, rejection, sendFailure);
    } catch (RuntimeException parkFailure) {
      // PostgreSQL is away: an outage like any other. Park on the next delivery.
      failedSends.put(position, attempts - 1);
      parkFailure.addSuppressed(sendFailure);
      throw parkFailure;
    }
    parkedCounters.get(rejection.reason()).increment();
    log.error(
        "Parked {} in tcportal_parked_records after {} failed dead-letter sends ({}: {});"
            + " see docs/runbook.md to replay it. Last send failure: {}",
        position,
        failures,
        rejection.reason(),
        rejection.getMessage(),
        sendFailure.toString());
  }

  private static RecordRejectedException.Reason reasonOf(Exception e) {
    return e instanceof RecordRejectedException rejected
        ? rejected.reason()
        : RecordRejectedException.Reason.UNREADABLE;
  }

  /** Where a record was read, as the log and the parked table name it. */
  private record Position(String topic, int partition, long offset) {
    @Override
    public String toString() {
      return topic + "-" + partition + "@" + offset;
    }
  }
}
