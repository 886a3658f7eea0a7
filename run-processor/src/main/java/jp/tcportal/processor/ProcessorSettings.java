package jp.tcportal.processor;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the processor consumes, retries and relays.
 *
 * @param groupId the Kafka consumer group of the run-reported listener
 * @param maxPollRecords records per batch, and so per database transaction
 * @param concurrency listener threads; each owns some partitions of the run-reported topic, so one
 *     thread parses while another waits for PostgreSQL (3: half of the 6 partitions, room for a
 *     second replica)
 * @param retryInitialInterval first pause before a failed batch (database down) is tried again
 * @param retryMaxInterval longest pause between tries; tries never stop, so nothing is skipped
 * @param deadLetterSendTimeout how long to wait for the dead-letter topic to acknowledge a record
 * @param deadLetterAttempts deliveries of a batch in which a refused record's dead-letter send may
 *     fail before the record is parked in {@code tcportal_parked_records} and its partition moves
 *     on (each delivery after the first waits the retry back-off)
 * @param futureInstantTolerance how far a client's instant may lie ahead of the gateway's {@code
 *     received_at} and still decide which report is newest; beyond it the arrival decides
 * @param relayInterval pause between two runs of the outbox relay
 * @param relayBatchSize outbox rows published per relay transaction
 * @param relaySendTimeout how long the relay waits for Kafka to acknowledge a page of events
 */
@ConfigurationProperties("tcportal.processor")
public record ProcessorSettings(
    @DefaultValue("tcportal-run-processor") String groupId,
    @DefaultValue("500") int maxPollRecords,
    @DefaultValue("3") int concurrency,
    @DefaultValue("1s") Duration retryInitialInterval,
    @DefaultValue("30s") Duration retryMaxInterval,
    @DefaultValue("30s") Duration deadLetterSendTimeout,
    @DefaultValue("3") int deadLetterAttempts,
    @DefaultValue("2m") Duration futureInstantTolerance,
    @DefaultValue("300ms") Duration relayInterval,
    @DefaultValue("500") int relayBatchSize,
    @DefaultValue("30s") Duration relaySendTimeout) {

  public ProcessorSettings {
    if (maxPollRecords < 1 || concurrency < 1 || relayBatchSize < 1) {
      throw new IllegalArgumentException(
          "tcportal.processor.max-poll-records, concurrency and relay-batch-size must be at least 1");
    }
    if (deadLetterAttempts < 1) {
      throw new IllegalArgumentException(
          "tcportal.processor.dead-letter-attempts must be at least 1");
    }
    if (futureInstantTolerance.isNegative()) {
      throw new IllegalArgumentException(
          "tcportal.processor.future-instant-tolerance must not be negative");
    }
    if (retryInitialInterval.isNegative()
        || retryInitialInterval.isZero()
        || retryMaxInterval.compareTo(retryInitialInterval) < 0) {
      throw new IllegalArgumentException(
          "tcportal.processor.retry-initial-interval must be positive and at most"
              + " retry-max-interval");
    }
  }
}
