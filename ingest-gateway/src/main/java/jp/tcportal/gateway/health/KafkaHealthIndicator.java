package jp.tcportal.gateway.health;

import jp.tcportal.gateway.GatewaySettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code kafka} health component: UP when the cluster answers {@code describeCluster} within
 * {@code tcportal.gateway.kafka-health-timeout}. The admin client completes its futures on its own
 * network thread, so the check never blocks a Netty event loop.
 */
@Component
class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

  private final Admin admin;
  private final int timeoutMillis;

  KafkaHealthIndicator(KafkaAdmin kafkaAdmin, GatewaySettings settings) {
    super("Kafka health check failed");
    this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
    this.timeoutMillis = (int) settings.kafkaHealthTimeout().toMillis();
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    DescribeClusterResult cluster =
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis));
    return Mono.fromCompletionStage(
        cluster
            .clusterId()
            .toCompletionStage()
            .thenCombine(
                cluster.nodes().toCompletionStage(),
                (clusterId, nodes) ->
                    builder
                        .up()
                        .withDetail("clusterId", String.valueOf(clusterId))
                        .withDetail("nodes", nodes.size())
                        .build()));
  }

  @Override
  public void destroy() {
    admin.close(java.time.Duration.ofSeconds(1));
  }
}
