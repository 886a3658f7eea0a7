package jp.tcportal.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.Kind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The endpoint over real HTTP, with what it put on the real broker. */
class ReportEndpointTests extends GatewayIntegrationTest {

  @Autowired MeterRegistry meters;

  @Test
  void acceptsReportOnceTheBrokerHasItAndPublishesEveryField() {
    String taskKey = uniqueTaskKey();
    ObjectNode report = Reports.complete(taskKey);
    String body = Reports.json(report);
    UUID monitorId = MonitorIdentity.monitorId(taskKey, Kind.PYTHON, "PC-TOKYO-01");

    JsonNode answer =
        post(body, GatewayIntegrationTest.SECRET)
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();

    assertThat(answer.get("ok").booleanValue()).isTrue();
    assertThat(answer.get("monitor_id").stringValue()).isEqualTo(monitorId.toString());
    assertThat(answer.get("task_key").stringValue()).isEqualTo(taskKey);
    String reportId = answer.get("report_id").stringValue();
    assertThat(UUID.fromString(reportId).version()).isEqualTo(4);
    assertThat(answer.propertyNames())
        .containsExactlyInAnyOrder("ok", "monitor_id", "task_key", "report_id");

    ConsumerRecord<String, String> published = awaitPublished(taskKey);
    assertThat(published.key()).isEqualTo(monitorId.toString());
    assertThat(published.headers().toArray()).as("no Java type headers").isEmpty();
    JsonNode event = EventJson.mapper().readTree(published.value());
    assertThat(event.get("schema_version").intValue()).isEqualTo(1);
    assertThat(event.get("report_id").stringValue()).isEqualTo(reportId);
    assertThat(event.get("monitor_id").stringValue()).isEqualTo(monitorId.toString());
    assertThat(event.get("received_at").stringValue()).endsWith("Z");
    assertThat(event.get("task_key").stringValue()).isEqualTo(taskKey);
    assertThat(event.get("task_name").stringValue()).isEqualTo("ナイトリー取込");
    assertThat(event.get("kind").stringValue()).isEqualTo("python");
    assertThat(event.get("status").stringValue()).isEqualTo("failed");
    assertThat(event.get("started_at").stringValue()).isEqualTo("2026-01-22T09:00:00Z");
    assertThat(event.get("finished_at").stringValue()).isEqualTo("2026-01-22T09:05:30.123456Z");
    assertThat(event.get("duration_ms").intValue()).isEqualTo(330123);
    assertThat(event.get("exit_code").intValue()).isEqualTo(2);
    assertThat(event.get("message").stringValue()).isEqualTo("処理失敗: 100件中3件でエラー");
    assertThat(event.get("log_url").stringValue()).isEqualTo("C:\\Logs\\nightly_import.log");
    assertThat(event.get("machine_name").stringValue()).isEqualTo("PC-TOKYO-01");
    assertThat(event.get("raw")).isEqualTo(EventJson.mapper().readTree(body));
    assertThat(published.value()).contains("ナイトリー取込", "処理失敗");
  }

  @Test
  void keepsUnknownFieldsOfTheBodyInRaw() {
    String taskKey = uniqueTaskKey();
    ObjectNode report = Reports.minimal(taskKey);
    report.putObject("extra").put("retry_of", "前回の実行");

    post(Reports.json(report), GatewayIntegrationTest.SECRET).expectStatus().isOk();

    JsonNode event = EventJson.mapper().readTree(awaitPublished(taskKey).value());
    assertThat(event.get("raw").get("extra").get("retry_of").stringValue()).isEqualTo("前回の実行");
  }

  @Test
  void derivesTheReportIdFromTheIdempotencyKeyAndTheMonitor() {
    String taskKey = uniqueTaskKey();
    UUID idempotencyKey = UUID.randomUUID();
    UUID expected =
        jp.tcportal.schema.identity.ReportIdentity.reportId(
            jp.tcportal.schema.identity.MonitorIdentity.monitorId(
                taskKey, jp.tcportal.schema.report.Kind.BAT, null),
            idempotencyKey);

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", GatewayIntegrationTest.SECRET)
        // Any case: the key is a UUID, not a string.
        .header("Idempotency-Key", idempotencyKey.toString().toUpperCase())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal(taskKey)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.report_id")
        .isEqualTo(expected.toString());

    JsonNode event = EventJson.mapper().readTree(awaitPublished(taskKey).value());
    assertThat(event.get("report_id").stringValue()).isEqualTo(expected.toString());
    assertThat(event.get("body_digest").stringValue()).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        GatewayIntegrationTest.SECRET,
        GatewayIntegrationTest.ROTATED_SECRET,
        GatewayIntegrationTest.OTHER_ROTATED_SECRET
      })
  void acceptsTheMainSecretAndEveryRotationSecret(String secret) {
    String taskKey = uniqueTaskKey();

    post(Reports.json(Reports.minimal(taskKey)), secret).expectStatus().isOk();

    assertThat(awaitPublished(taskKey).value()).contains(taskKey);
  }

  @Test
  void publishesAnUnsignedWindowsExitCodeAsItsSignedValue() {
    String taskKey = uniqueTaskKey();
    ObjectNode report = Reports.minimal(taskKey);
    report.put("exit_code", 3221225477L);

    post(Reports.json(report), GatewayIntegrationTest.SECRET).expectStatus().isOk();

    JsonNode event = EventJson.mapper().readTree(awaitPublished(taskKey).value());
    assertThat(event.get("exit_code").intValue()).isEqualTo(-1073741819);
    assertThat(event.get("raw").get("exit_code").longValue()).isEqualTo(3221225477L);
  }

  @Test
  void treatsAnEmptyMachineNameAsTheMonitorWithoutMachine() {
    String taskKey = uniqueTaskKey();
    ObjectNode report = Reports.minimal(taskKey);
    report.put("machine_name", "");
    UUID withoutMachine = MonitorIdentity.monitorId(taskKey, Kind.BAT, null);

    post(Reports.json(report), GatewayIntegrationTest.SECRET)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.monitor_id")
        .isEqualTo(withoutMachine.toString());

    ConsumerRecord<String, String> published = awaitPublished(taskKey);
    JsonNode event = EventJson.mapper().readTree(published.value());
    assertThat(event.get("machine_name").isNull()).isTrue();
    assertThat(published.key()).isEqualTo(withoutMachine.toString());
  }

  @Test
  void refusedReportsNeverReachTheTopic() {
    String refused = uniqueTaskKey();
    post(Reports.json(Reports.minimal(refused)), null).expectStatus().isUnauthorized();
    post(Reports.json(Reports.minimal(refused)), "wrong-secret").expectStatus().isUnauthorized();
    ObjectNode invalid = Reports.minimal(refused);
    invalid.put("kind", "perl");
    post(Reports.json(invalid), GatewayIntegrationTest.SECRET).expectStatus().isBadRequest();
    String acceptedAfterwards = uniqueTaskKey();

    post(Reports.json(Reports.minimal(acceptedAfterwards)), GatewayIntegrationTest.SECRET)
        .expectStatus()
        .isOk();

    awaitPublished(acceptedAfterwards);
    assertThat(TestKafka.seen(record -> record.value().contains(refused))).isEmpty();
  }

  @Test
  void rejectsMissingAndWrongSecretWithTheSpecMessage() {
    for (String secret :
        new String[] {null, "", "wrong-secret", GatewayIntegrationTest.SECRET + "x"}) {
      post(Reports.json(Reports.minimal(uniqueTaskKey())), secret)
          .expectStatus()
          .isUnauthorized()
          .expectBody()
          .json("{\"error\": \"Invalid or missing secret\"}", true);
    }
  }

  @Test
  void refusesADeclaredBodyOverOneMebibyteBeforeReadingIt() {
    byte[] huge = new byte[1024 * 1024 + 1];
    java.util.Arrays.fill(huge, (byte) ' ');

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", GatewayIntegrationTest.SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(huge)
        .exchange()
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .json("{\"error\": \"Request body must be at most 1048576 bytes\"}", true);
  }

  @Test
  void acceptsABodyOfExactlyOneMebibyte() {
    String taskKey = uniqueTaskKey();
    String json = Reports.json(Reports.minimal(taskKey));
    // Whitespace after the object is valid JSON and pads the body to the limit exactly.
    byte[] body = new byte[1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    byte[] start = json.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, body, 0, start.length);

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", GatewayIntegrationTest.SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk();

    awaitPublished(taskKey);
  }

  @Test
  void answersUnknownPathsAndWrongMethodsWithTheErrorShape() {
    http.get()
        .uri("/api/monitor/nothing-here")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error\": \"Not found\"}", true);
    http.get()
        .uri("/api/monitor/report")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .valueEquals(HttpHeaders.ALLOW, "POST")
        .expectBody()
        .json("{\"error\": \"Method not allowed\"}", true);
  }

  @Test
  void countsAcceptedAndRefusedReportsAndTimesThePublish() {
    double acceptedBefore = meters.counter("tcportal.reports.accepted").count();
    double unauthorizedBefore =
        meters.counter("tcportal.reports.rejected", "reason", "unauthorized").count();
    double invalidBefore = meters.counter("tcportal.reports.rejected", "reason", "invalid").count();
    long publishesBefore =
        meters.timer("tcportal.reports.publish", "outcome", "acknowledged").count();

    post(Reports.json(Reports.minimal(uniqueTaskKey())), GatewayIntegrationTest.SECRET)
        .expectStatus()
        .isOk();
    post(Reports.json(Reports.minimal(uniqueTaskKey())), "wrong").expectStatus().isUnauthorized();
    post("{", GatewayIntegrationTest.SECRET).expectStatus().isBadRequest();

    assertThat(meters.counter("tcportal.reports.accepted").count()).isEqualTo(acceptedBefore + 1);
    assertThat(meters.counter("tcportal.reports.rejected", "reason", "unauthorized").count())
        .isEqualTo(unauthorizedBefore + 1);
    assertThat(meters.counter("tcportal.reports.rejected", "reason", "invalid").count())
        .isEqualTo(invalidBefore + 1);
    assertThat(meters.timer("tcportal.reports.publish", "outcome", "acknowledged").count())
        .isEqualTo(publishesBefore + 1);
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void neverLogsASecret(CapturedOutput output) {
    post(Reports.json(Reports.minimal(uniqueTaskKey())), GatewayIntegrationTest.SECRET)
        .expectStatus()
        .isOk();
    post(Reports.json(Reports.minimal(uniqueTaskKey())), "presented-wrong-secret")
        .expectStatus()
        .isUnauthorized();

    assertThat(output.getAll())
        .doesNotContain(GatewayIntegrationTest.SECRET)
        .doesNotContain(GatewayIntegrationTest.ROTATED_SECRET)
        .doesNotContain("presented-wrong-secret");
  }

  private WebTestClient.ResponseSpec post(String body, String secret) {
    WebTestClient.RequestBodySpec request =
        http.post().uri("/api/monitor/report").contentType(MediaType.APPLICATION_JSON);
    if (secret != null) {
      request.header("X-TC-Portal-Secret", secret);
    }
    return request.bodyValue(body).exchange();
  }

  private static ConsumerRecord<String, String> awaitPublished(String taskKey) {
    return TestKafka.awaitRunReported(record -> record.value().contains("\"" + taskKey + "\""));
  }

  private static String uniqueTaskKey() {
    return "task_" + UUID.randomUUID().toString().replace("-", "");
  }
}
