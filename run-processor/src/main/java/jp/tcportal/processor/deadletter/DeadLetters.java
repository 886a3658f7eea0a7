package jp.tcportal.processor.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
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
 * <p>The DLT record keeps the original key and (for unreadable records) the original bytes; Kafka
 * picks the partition. Headers: {@value #REASON_HEADER} (a {@link RecordRejectedException.Reason}),
 * and Spring's {@code kafka_dlt-exception-message}, {@code kafka_dlt-exception-fqcn}, {@code
 * kafka_dlt-original-topic}, {@code -partition}, {@code -offset}.
 */
@Component
public class DeadLetters {

  public static final String REASON_HEADER = "tcportal_dlt-reason";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final DeadLetterPublishingRecoverer recoverer;
  private final Map<RecordRejectedException.Reason, Counter> counters =
      new EnumMap<>(RecordRejectedException.Reason.class);

  DeadLetters(
      KafkaTemplate<Object, Object> kafka, ProcessorSettings settings, MeterRegistry meters) {
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
    }
  }

  /** Publishes one refused record; throws if Kafka did not acknowledge it in time. */
  public void send(
      ConsumerRecord<?, ?> record, RecordRejectedException rejection, Consumer<?, ?> consumer) {
    log.warn(
        "Dead-lettering {}-{}@{}: {} ({})",
        record.topic(),
        record.partition(),
        record.offset(),
        rejection.reason(),
        rejection.getMessage());
    recoverer.accept(record, consumer, rejection);
    counters.get(rejection.reason()).increment();
  }

  private static RecordRejectedException.Reason reasonOf(Exception e) {
    return e instanceof RecordRejectedException rejected
        ? rejected.reason()
        : RecordRejectedException.Reason.UNREADABLE;
  }
}
