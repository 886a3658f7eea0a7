package jp.tcportal.processor.ingest;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * {@code kafkaListener} in {@code /actuator/health}: DOWN while the listener is stopped or its
 * batches keep failing (the database is away, say), with how long and why.
 */
@Component("kafkaListenerHealthIndicator")
class ListenerHealthIndicator implements HealthIndicator {

  private final KafkaListenerEndpointRegistry registry;
  private final BatchProgress progress;

  ListenerHealthIndicator(KafkaListenerEndpointRegistry registry, BatchProgress progress) {
    this.registry = registry;
    this.progress = progress;
  }

  @Override
  public Health health() {
    MessageListenerContainer container = registry.getListenerContainer(RunReportedListener.ID);
    boolean running = container != null && container.isRunning();
    Health.Builder health =
        running && progress.failingSince() == null ? Health.up() : Health.down();
    health.withDetail("running", running).withDetail("recordsProcessed", progress.records());
    if (progress.lastSuccess() != null) {
      health.withDetail("lastBatchStoredAt", progress.lastSuccess().toString());
    }
    if (progress.failingSince() != null) {
      health
          .withDetail("failingSince", progress.failingSince().toString())
          .withDetail("consecutiveFailures", progress.consecutiveFailures())
          .withDetail("lastError", String.valueOf(progress.lastError()));
    }
    return health.build();
  }
}
