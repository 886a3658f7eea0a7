package jp.tcportal.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A report the real broker refuses for good (larger than the topic's {@code max.message.bytes}) is
 * the client's 413, not a 503 it would retry for ever; the gateway keeps publishing afterwards.
 */
class BrokerRefusalTests extends GatewayIntegrationTest {

  @Autowired MeterRegistry meters;

  @Test
  void answers413WhenTheTopicRefusesTheRecordAsTooLargeAndKeepsWorking() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
      ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.RUN_REPORTED.name());
      setMaxMessageBytes(admin, topic, 2048);
      try {
        // Random text barely compresses: the batch stays above 2 KiB after lz4.
        byte[] noise = new byte[6000];
        new SecureRandom().nextBytes(noise);
        String padding = Base64.getEncoder().encodeToString(noise);
        String taskKey = uniqueTaskKey();
        // The broker applies the new limit shortly after the change is acknowledged.
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> status(taskKey, padding) == 413);

        post(uniqueTaskKey(), padding)
            .expectStatus()
            .isEqualTo(413)
            .expectHeader()
            .doesNotExist(HttpHeaders.RETRY_AFTER)
            .expectBody()
            .json(
                "{\"error\": \"Report is too large for the message broker: send a shorter"
                    + " message or fewer fields\"}",
                true);
        assertThat(meters.counter("tcportal.reports.rejected", "reason", "too_large").count())
            .isGreaterThanOrEqualTo(1);
      } finally {
        setMaxMessageBytes(admin, topic, Topics.RUN_REPORTED_MAX_MESSAGE_BYTES);
      }
    }

    String after = uniqueTaskKey();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(after, "") == 200);
    TestKafka.awaitRunReported(record -> record.value().contains(after));
  }

  @Test
  void tellsFailuresThatRetryingCannotFixFromTransientOnes() {
    assertThat(
            ReportPublisher.kindOf(
                new KafkaProducerException(null, "x", new RecordTooLargeException("big"))))
        .isEqualTo(ReportNotQueuedException.Kind.TOO_LARGE);
    assertThat(ReportPublisher.kindOf(new SerializationException("bad")))
        .isEqualTo(ReportNotQueuedException.Kind.UNPROCESSABLE);
    assertThat(ReportPublisher.kindOf(new NotLeaderOrFollowerException("moving")))
        .isEqualTo(ReportNotQueuedException.Kind.RETRY_LATER);
    assertThat(ReportPublisher.kindOf(new AuthorizationException("denied")))
        .isEqualTo(ReportNotQueuedException.Kind.GATEWAY_FAULT);
  }

  private int status(String taskKey, String padding) {
    return post(taskKey, padding).expectBody().returnResult().getStatus().value();
  }

  private WebTestClient.ResponseSpec post(String taskKey, String padding) {
    return http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            "{\"task_key\": \""
                + taskKey
                + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"failed\","
                + " \"padding\": \""
                + padding
                + "\"}")
        .exchange();
  }

  private static void setMaxMessageBytes(Admin admin, ConfigResource topic, int bytes)
      throws Exception {
    admin
        .incrementalAlterConfigs(
            Map.of(
                topic,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(bytes)),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get();
  }

  private static String uniqueTaskKey() {
    return "refused_" + UUID.randomUUID().toString().replace("-", "");
  }
}
