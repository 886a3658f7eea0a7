package jp.tcportal.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A gateway whose broker cannot be reached: it must still answer quickly, with 503 and Retry-After,
 * and say so in its health.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.gateway.webhook-secret=unreachable-secret",
      "spring.kafka.admin.auto-create=false",
      "spring.kafka.producer.properties.max.block.ms=1000",
      "spring.kafka.producer.properties.request.timeout.ms=1000",
      "spring.kafka.producer.properties.delivery.timeout.ms=1500",
      "tcportal.gateway.kafka-health-timeout=1s"
    })
@AutoConfigureWebTestClient(timeout = "30s")
class UnreachableBrokerTests {

  @Autowired WebTestClient http;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void closedPort(DynamicPropertyRegistry registry) {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Nothing listens there once the socket is closed.
    registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + port);
  }

  @Test
  void answers503WithRetryAfterWithinAFewSecondsWhenTheBrokerIsAway() {
    double unavailableBefore =
        meters.counter("tcportal.reports.rejected", "reason", "unavailable").count();
    long started = System.nanoTime();

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", "unreachable-secret")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            "{\"task_key\": \"nightly_import\", \"task_name\": \"ナイトリー取込\","
                + " \"kind\": \"bat\", \"status\": \"failed\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectBody()
        .json("{\"error\": \"Report could not be queued, retry later\"}", true);

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isLessThan(Duration.ofSeconds(8));
    assertThat(meters.counter("tcportal.reports.rejected", "reason", "unavailable").count())
        .isEqualTo(unavailableBefore + 1);
    assertThat(meters.counter("tcportal.reports.accepted").count()).isZero();
    assertThat(meters.timer("tcportal.reports.publish", "outcome", "failed").count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void countsThe503sWhoseRetryMayStoreTheRunTwiceBecauseTheyCarryNoIdempotencyKey() {
    double before = meters.counter("tcportal.reports.unavailable.without.key").count();
    String report =
        "{\"task_key\": \"nightly_import\", \"task_name\": \"x\", \"kind\": \"bat\","
            + " \"status\": \"failed\"}";

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", "unreachable-secret")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(report)
        .exchange()
        .expectStatus()
        .isEqualTo(503);
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", "unreachable-secret")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(report)
        .exchange()
        .expectStatus()
        .isEqualTo(503);

    assertThat(meters.counter("tcportal.reports.unavailable.without.key").count())
        .isEqualTo(before + 1);
  }

  @Test
  void reportsKafkaDownAndIsNotReadyButStaysAlive() {
    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DOWN")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("DOWN");
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DOWN");
    http.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }
}
