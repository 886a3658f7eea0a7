package jp.tcportal.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Health, probes, metrics exposure and the declared topic, on the real broker. */
class KafkaHealthTests extends GatewayIntegrationTest {

  @Test
  void reportsUpWithTheKafkaClusterItReaches() {
    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.details.nodes")
        .isEqualTo(1)
        .jsonPath("$.components.kafka.details.clusterId")
        .isNotEmpty();
  }

  @Test
  void isReadyAndAliveWhenTheBrokerAnswers() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void exposesTheReportMetricsForPrometheus() {
    String scrape =
        http.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(scrape)
        .contains("tcportal_reports_accepted_total")
        .contains(
            "tcportal_reports_rejected_total{application=\"ingest-gateway\",reason=\"too_large\"}")
        .contains("tcportal_reports_publish_seconds");
  }

  @Test
  void declaresTheRunReportedTopicOnAFreshBroker() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
      TopicDescription topic =
          admin
              .describeTopics(java.util.List.of(Topics.RUN_REPORTED.name()))
              .allTopicNames()
              .get()
              .get(Topics.RUN_REPORTED.name());
      ConfigResource resource =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.RUN_REPORTED.name());
      Config config = admin.describeConfigs(java.util.List.of(resource)).all().get().get(resource);

      assertThat(topic.partitions()).hasSize(6);
      assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
      assertThat(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo("3145728");
    }
  }
}
