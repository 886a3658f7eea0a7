package jp.tcportal.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/**
 * Slow and large clients against the shared gateway context, whose limits are short
 * (GatewayIntegrationTest: head 3 s, body silence 3 s, whole body 6 s, 1.5 MB of bodies in flight).
 */
class SlowClientTests extends GatewayIntegrationTest {

  private static final Duration SLACK = Duration.ofSeconds(10);

  @LocalServerPort int port;
  @Autowired BodyBytesInFlight inFlight;

  @Test
  void closesAConnectionWhoseBodyStallsAfterTheReadTimeout() throws Exception {
    try (SlowClient client = new SlowClient(port)) {
      client.send(SlowClient.reportHead(SECRET, 500) + "{\"task_key\": ");
      long started = System.nanoTime();

      String answer = client.awaitClosed(SLACK);

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
      assertThat(answer)
          .startsWith("HTTP/1.1 408")
          .endsWith("{\"error\":\"" + BodyBytesInFlight.TOO_SLOW_MESSAGE + "\"}");
    }
    awaitNothingInFlight();
  }

  @Test
  void closesAConnectionThatTricklesItsBodyAfterTheRequestTimeout() throws Exception {
    try (SlowClient client = new SlowClient(port)) {
      client.send(SlowClient.reportHead(SECRET, 500));
      long started = System.nanoTime();
      // A byte a second never trips the read timeout (3 s); the whole-body deadline (6 s) does.
      client.trickle(" ", Duration.ofSeconds(1));

      client.awaitClosed(Duration.ofSeconds(30));

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(12));
    }
    awaitNothingInFlight();
  }

  @Test
  void closesAConnectionThatTricklesItsHeadersAfterTheHeadTimeout() throws Exception {
    try (SlowClient client = new SlowClient(port)) {
      client.send("POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\n");
      long started = System.nanoTime();
      // A header line a second never trips the idle timeout; the head deadline (3 s) does.
      client.trickle("X-A: b\r\n", Duration.ofSeconds(1));

      client.awaitClosed(Duration.ofSeconds(30));

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
    }
  }

  @Test
  void answers503WithRetryAfterWhenBodiesInFlightWouldPassTheBudgetAndTakesThemOnceFreed()
      throws Exception {
    String held = reportOfLength(1_000_000);
    try (SlowClient holder = new SlowClient(port)) {
      // Sends all but the last byte: its declared million bytes are held while it waits.
      holder.send(SlowClient.reportHead(SECRET, held.length()) + held.substring(0, 100));
      Awaitility.await().atMost(SLACK).until(() -> inFlight.bytesInFlight() >= 1_000_000);

      try (SlowClient large = new SlowClient(port)) {
        large.send(SlowClient.reportHead(SECRET, 600_000));
        String answer = large.awaitClosed(SLACK);
        assertThat(answer)
            .startsWith("HTTP/1.1 503")
            .containsIgnoringCase("Retry-After: 5")
            .endsWith("{\"error\":\"" + BodyBytesInFlight.BUSY_MESSAGE + "\"}");
      }

      // A normal report still fits beside the held body.
      String small = "small_" + UUID.randomUUID().toString().replace("-", "");
      http.post()
          .uri("/api/monitor/report")
          .header("X-TC-Portal-Secret", SECRET)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              "{\"task_key\": \""
                  + small
                  + "\", \"task_name\": \"x\", \"kind\": \"bat\","
                  + " \"status\": \"success\"}")
          .exchange()
          .expectStatus()
          .isOk();
      TestKafka.awaitRunReported(record -> record.value().contains(small));
    }
    awaitNothingInFlight();

    try (SlowClient large = new SlowClient(port)) {
      String body = reportOfLength(600_000);
      large.send(SlowClient.reportHead(SECRET, body.length()) + body);
      assertThat(large.readHead(SLACK)).startsWith("HTTP/1.1 200");
    }
    awaitNothingInFlight();
  }

  private void awaitNothingInFlight() {
    Awaitility.await().atMost(SLACK).until(() -> inFlight.bytesInFlight() == 0);
  }

  /** A valid report of exactly {@code length} bytes (ASCII), padded in an extra field. */
  private static String reportOfLength(int length) {
    String start =
        "{\"task_key\": \"big_"
            + UUID.randomUUID().toString().replace("-", "")
            + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\","
            + " \"padding\": \"";
    String end = "\"}";
    return start + "x".repeat(length - start.length() - end.length()) + end;
  }
}
