package jp.tcportal.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the gateway needs to know about its environment.
 *
 * @param webhookSecret the spec's {@code TC_PORTAL_WEBHOOK_SECRET}; required, the service refuses
 *     to start without it
 * @param webhookSecretsAdditional further secrets accepted at the same time while clients move to a
 *     new one ({@code TC_PORTAL_WEBHOOK_SECRETS_ADDITIONAL}, comma-separated); blank entries are
 *     ignored
 * @param retryAfter what the {@code Retry-After} header of a 503 tells the client to wait
 * @param publishThreads threads that hand reports to the Kafka producer, so that a producer waiting
 *     for metadata never blocks a Netty event loop
 * @param publishQueueCapacity reports that may wait for a publish thread; beyond that the gateway
 *     answers 503 at once instead of queueing without bound
 * @param publishQueueTimeout longest a report may wait for a publish thread before it is refused
 *     (503) instead of being sent after its client has given up
 * @param kafkaHealthTimeout how long the health check waits for the broker to describe its cluster
 * @param requireSignature whether every request must be signed ({@code X-TC-Portal-Signature});
 *     when false (the spec's behaviour) the plain secret alone is enough
 * @param signatureReplayWindow how far a signed request's {@code X-TC-Portal-Timestamp} may lie
 *     from the gateway's clock, either way, before the request is refused as stale
 */
@ConfigurationProperties("tcportal.gateway")
public record GatewaySettings(
    String webhookSecret,
    List<String> webhookSecretsAdditional,
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("2") int publishThreads,
    @DefaultValue("2000") int publishQueueCapacity,
    @DefaultValue("1s") Duration publishQueueTimeout,
    @DefaultValue("2s") Duration kafkaHealthTimeout,
    @DefaultValue("false") boolean requireSignature,
    @DefaultValue("300s") Duration signatureReplayWindow) {

  public GatewaySettings {
    if (webhookSecret == null || webhookSecret.isBlank()) {
      throw new IllegalStateException(
          "TC_PORTAL_WEBHOOK_SECRET is required: set the environment variable (or"
              + " tcportal.gateway.webhook-secret) to the secret the Windows clients send in"
              + " X-TC-Portal-Secret");
    }
    webhookSecret = webhookSecret.strip();
    webhookSecretsAdditional =
        webhookSecretsAdditional == null
            ? List.of()
            : webhookSecretsAdditional.stream()
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(secret -> !secret.isEmpty())
                .toList();
    if (publishThreads < 1 || publishQueueCapacity < 1) {
      throw new IllegalStateException(
          "tcportal.gateway.publish-threads and publish-queue-capacity must be at least 1");
    }
    if (signatureReplayWindow == null || signatureReplayWindow.toSeconds() < 1) {
      throw new IllegalStateException(
          "tcportal.gateway.signature-replay-window must be at least 1 second");
    }
  }

  /** Every secret a client may present: the main one first, then the rotation ones. */
  public List<String> activeSecrets() {
    return Stream.concat(Stream.of(webhookSecret), webhookSecretsAdditional.stream()).toList();
  }

  /** Never prints a secret, whoever logs these settings. */
  @Override
  public String toString() {
    return "GatewaySettings[webhookSecret=***, webhookSecretsAdditional="
        + webhookSecretsAdditional.size()
        + " more, retryAfter="
        + retryAfter
        + ", publishThreads="
        + publishThreads
        + ", publishQueueCapacity="
        + publishQueueCapacity
        + ", publishQueueTimeout="
        + publishQueueTimeout
        + ", kafkaHealthTimeout="
        + kafkaHealthTimeout
        + ", requireSignature="
        + requireSignature
        + ", signatureReplayWindow="
        + signatureReplayWindow
        + "]";
  }
}
