package jp.tcportal.gateway.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.schema.event.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * What the spec's server stored and this gateway used to refuse, sent byte for byte to the running
 * gateway (real Netty, real broker): each is answered 200 and its event on the topic carries the
 * values docs/monitoring/SPEC.md documents. (The processor stores exactly these values; the system
 * tests check them in PostgreSQL.)
 */
class SpecEraRequestsTests extends GatewayIntegrationTest {

  @Value("${local.server.port}")
  int port;

  private static String key(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
  }

  private static String body(String taskKey, String extra) {
    return "{\"task_key\": \""
        + taskKey
        + "\", \"task_name\": \"日次同期\", \"kind\": \"python\","
        + " \"status\": \"failed\""
        + extra
        + "}";
  }

  private byte[] request(String contentType, byte[] body) {
    StringBuilder head =
        new StringBuilder("POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\n")
            .append("X-TC-Portal-Secret: ")
            .append(SECRET)
            .append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    return request.toByteArray();
  }

  private JsonNode storedEvent(String contentType, String taskKey, byte[] body) throws IOException {
    RawHttp.Response answer = RawHttp.exchange(port, request(contentType, body));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(EventJson.mapper().readTree(answer.body()).get("ok").asBoolean()).isTrue();
    return EventJson.mapper()
        .readTree(TestKafka.awaitRunReported(r -> r.value().contains(taskKey)).value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=utf-8",
        "multipart/form-data; boundary=x",
        "\"/\\",
        "-"
      })
  void readsAJsonBodyWhateverItsContentType(String contentType) throws IOException {
    String taskKey = key("type");
    JsonNode event =
        storedEvent(
            "-".equals(contentType) ? null : contentType,
            taskKey,
            body(taskKey, ", \"message\": \"処理失敗\"").getBytes(StandardCharsets.UTF_8));
    assertThat(event.get("task_name").stringValue()).isEqualTo("日次同期");
    assertThat(event.get("message").stringValue()).isEqualTo("処理失敗");
  }

  @Test
  void decodesTextPlainInTheCharsetItDeclares() throws IOException {
    String taskKey = key("sjis");
    JsonNode event =
        storedEvent(
            "text/plain; charset=Shift_JIS",
            taskKey,
            body(taskKey, ", \"message\": \"処理失敗\"").getBytes(Charset.forName("Shift_JIS")));
    assertThat(event.get("message").stringValue()).isEqualTo("処理失敗");
  }

  @Test
  void storesTheSpecsPythonReportWithANaiveInstantLongTextAndAFractionalDuration()
      throws IOException {
    String taskKey = key("spec_python");
    String extra =
        ", \"started_at\": \"2026-01-22T09:00:00.250000\", \"finished_at\": \"2026-01-22T09:05:30\","
            + " \"duration_ms\": 1234.5, \"message\": \""
            + "あ".repeat(100_000)
            + "\", \"log_url\": \""
            + "u".repeat(5000)
            + "\", \"machine_name\": \"PC-01\"";
    JsonNode event =
        storedEvent(
            "application/json; charset=utf-8",
            taskKey,
            body(taskKey, extra).replace("日次同期", "名".repeat(600)).getBytes(StandardCharsets.UTF_8));

    assertThat(Instant.parse(event.get("started_at").stringValue()))
        .isEqualTo(Instant.parse("2026-01-22T00:00:00.250Z"));
    assertThat(Instant.parse(event.get("finished_at").stringValue()))
        .isEqualTo(Instant.parse("2026-01-22T00:05:30Z"));
    assertThat(event.get("assumed_time_zone").stringValue()).isEqualTo("Asia/Tokyo");
    assertThat(event.get("duration_ms").intValue()).isEqualTo(1235);
    assertThat(event.get("message").stringValue())
        .hasSize(65_536)
        .startsWith("ああ")
        .endsWith("…(truncated, 100,000 characters)");
    assertThat(event.get("log_url").stringValue())
        .hasSize(4096)
        .endsWith("…(truncated, 5,000 characters)");
    assertThat(event.get("task_name").stringValue())
        .hasSize(500)
        .endsWith("…(truncated, 600 characters)");
    assertThat(event.get("raw").get("started_at").stringValue())
        .isEqualTo("2026-01-22T09:00:00.250000");
    assertThat(event.get("raw").get("message").stringValue()).hasSize(100_000);
  }

  @Test
  void storesANegativeDurationAsNull() throws IOException {
    String taskKey = key("negative");
    JsonNode event =
        storedEvent(
            "application/json",
            taskKey,
            body(taskKey, ", \"duration_ms\": -3").getBytes(StandardCharsets.UTF_8));
    assertThat(event.get("duration_ms").isNull()).isTrue();
    assertThat(event.get("raw").get("duration_ms").intValue()).isEqualTo(-3);
  }
}
