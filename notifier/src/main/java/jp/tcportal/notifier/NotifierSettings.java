package jp.tcportal.notifier;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the notifier consumes, sends and retries ({@code tcportal.notifier.*}).
 *
 * @param groupId the Kafka consumer group of the status listener, its own so it never steals the
 *     processor's partitions
 * @param publicUrl where people open the dashboard ({@code TCPORTAL_PUBLIC_URL}); message buttons
 *     link to {@code <publicUrl>/monitors/<id>}
 * @param encryptionKey base64 AES-256 key that opens channel URLs and secrets ({@code
 *     TC_PORTAL_ENCRYPTION_KEY}, the same as the incidents service's)
 * @param allowInsecureTargets accept http and private or loopback targets ({@code
 *     TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS}); only for the local stack and tests
 * @param pollInterval pause between two passes of the delivery worker
 * @param batchSize deliveries claimed per pass (at most one per monitor and channel)
 * @param senderThreads deliveries sent at once
 * @param sendTimeout connect and answer timeout of one HTTP send
 * @param retryInitialDelay delay after the first failed attempt; doubles each time, jittered
 * @param retryMaxDelay longest delay between two attempts (a {@code Retry-After} may ask for more)
 * @param giveUpAfter a delivery still failing this long after it was recorded becomes {@code dead}
 * @param claimLease how long a claimed delivery is hidden from other workers while it is sent; a
 *     worker killed mid-send makes it due again after this
 * @param listenerRetryMaxInterval longest pause between tries of an event the ledger could not
 *     store (database down); tries never stop, so no event is skipped
 * @param mailFrom the From address of e-mail notifications
 * @param slackPerSecond most messages per second to one Slack channel (Slack allows about 1)
 * @param teamsPerSecond most messages per second to one Teams workflow (Teams allows about 4)
 */
@ConfigurationProperties("tcportal.notifier")
public record NotifierSettings(
    @DefaultValue("tcportal-notifier") String groupId,
    @DefaultValue("http://localhost:8081") URI publicUrl,
    String encryptionKey,
    @DefaultValue("false") boolean allowInsecureTargets,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("50") int batchSize,
    @DefaultValue("4") int senderThreads,
    @DefaultValue("10s") Duration sendTimeout,
    @DefaultValue("10s") Duration retryInitialDelay,
    @DefaultValue("10m") Duration retryMaxDelay,
    @DefaultValue("1h") Duration giveUpAfter,
    @DefaultValue("60s") Duration claimLease,
    @DefaultValue("30s") Duration listenerRetryMaxInterval,
    @DefaultValue("tcportal-notifier@localhost") String mailFrom,
    @DefaultValue("1") double slackPerSecond,
    @DefaultValue("4") double teamsPerSecond) {

  public NotifierSettings {
    if (batchSize < 1 || senderThreads < 1) {
      throw new IllegalArgumentException(
          "tcportal.notifier.batch-size and sender-threads must be at least 1");
    }
    if (retryMaxDelay.compareTo(retryInitialDelay) < 0 || retryInitialDelay.isNegative()) {
      throw new IllegalArgumentException(
          "tcportal.notifier.retry-initial-delay must be at most retry-max-delay");
    }
    if (!(slackPerSecond > 0) || !(teamsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "tcportal.notifier.slack-per-second and teams-per-second must be positive");
    }
    if (claimLease.compareTo(sendTimeout.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "tcportal.notifier.claim-lease must be at least twice send-timeout, or a slow send"
              + " would be claimed twice");
    }
  }
}
