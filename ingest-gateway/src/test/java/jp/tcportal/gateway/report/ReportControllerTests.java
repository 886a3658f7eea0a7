package jp.tcportal.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.publish.ReportNotQueuedException;
import jp.tcportal.gateway.publish.ReportPublisher;
import jp.tcportal.gateway.secret.RequestSignatures;
import jp.tcportal.gateway.secret.WebhookSecrets;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.RunReported;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The endpoint's rules without a broker: the publisher is a mock, so every refusal can be shown to
 * publish nothing.
 */
@WebFluxTest(ReportController.class)
@Import({
  WebhookSecrets.class,
  RequestSignatures.class,
  ReportMetrics.class,
  ReportControllerTests.Meters.class
})
@TestPropertySource(
    properties = {
      "tcportal.gateway.webhook-secret=slice-secret",
      "tcportal.gateway.webhook-secrets-additional=slice-rotated"
    })
class ReportControllerTests {

  private static final String SECRET = "slice-secret";
  private static final String EXIT_CODE_RULE =
      "exit_code must be an integer from -2147483648 to 4294967295";
  private static final String DURATION_RULE =
      "duration_ms must be a number of milliseconds, at most 2147483647";
  private static final String INSTANT_RULE =
      " must be an ISO 8601 timestamp, e.g. 2026-01-22T09:00:00Z or 2026-01-22T18:00:00+09:00";

  @Autowired WebTestClient http;
  @Autowired MeterRegistry meters;
  @MockitoBean ReportPublisher publisher;

  @TestConfiguration
  @EnableConfigurationProperties({GatewaySettings.class, ReportSettings.class})
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  static Stream<Arguments> invalidReports() {
    return Stream.of(
        invalid("task_key is required and must be a string", r -> r.remove("task_key")),
        invalid("task_key is required and must be a string", r -> r.put("task_key", 42)),
        invalid("task_key is required and must be a string", r -> r.putNull("task_key")),
        invalid("task_key must not be blank", r -> r.put("task_key", "  ")),
        invalid("task_name is required and must be a string", r -> r.remove("task_name")),
        invalid("task_name is required and must be a string", r -> r.put("task_name", true)),
        invalid("task_name must not be blank", r -> r.put("task_name", "")),
        invalid("kind is required and must be a string", r -> r.remove("kind")),
        invalid("kind is required and must be a string", r -> r.putArray("kind")),
        invalid("kind must not be blank", r -> r.put("kind", " ")),
        invalid("kind must be one of: python, bat", r -> r.put("kind", "perl")),
        invalid("kind must be one of: python, bat", r -> r.put("kind", "Python")),
        invalid("status is required and must be a string", r -> r.remove("status")),
        invalid("status is required and must be a string", r -> r.put("status", 0)),
        invalid("status must not be blank", r -> r.put("status", "")),
        invalid("status must be one of: success, failed", r -> r.put("status", "ok")),
        invalid("started_at" + INSTANT_RULE, r -> r.put("started_at", "2026-01-22")),
        invalid("finished_at" + INSTANT_RULE, r -> r.put("finished_at", "yesterday")),
        invalid(
            "started_at must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
            r -> r.put("started_at", "+300000-01-01T00:00:00Z")),
        invalid("task_key must be at most 200 characters", r -> r.put("task_key", "k".repeat(201))),
        invalid(
            "machine_name must be at most 255 characters",
            r -> r.put("machine_name", "m".repeat(256))),
        invalid("started_at must be a string", r -> r.put("started_at", 1737536400)),
        invalid(EXIT_CODE_RULE, r -> r.put("exit_code", 4294967296L)),
        invalid(EXIT_CODE_RULE, r -> r.put("exit_code", -2147483649L)),
        invalid(EXIT_CODE_RULE, r -> r.put("exit_code", 1.5)),
        invalid(EXIT_CODE_RULE, r -> r.put("exit_code", "0")),
        invalid(DURATION_RULE, r -> r.put("duration_ms", "12")),
        invalid(DURATION_RULE, r -> r.put("duration_ms", 2147483648L)),
        invalid(DURATION_RULE, r -> r.put("duration_ms", 2147483647.5)),
        invalid("message must be a string", r -> r.put("message", 1)),
        invalid("log_url must be a string", r -> r.putObject("log_url")),
        invalid("machine_name must be a string", r -> r.put("machine_name", 7)));
  }

  private static Arguments invalid(String message, java.util.function.Consumer<ObjectNode> change) {
    ObjectNode report = Reports.complete("nightly_import");
    change.accept(report);
    return Arguments.of(message, Reports.json(report));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidReports")
  void rejectsAnInvalidReportWithTheSpecMessageAndPublishesNothing(String message, String body) {
    post(body).expectStatus().isBadRequest().expectBody().json(errorJson(message), true);

    assertNothingPublished();
  }

  static Stream<Arguments> bodiesThatAreNotOneJsonObject() {
    String duplicate =
        "{\"task_key\": \"a\", \"task_key\": \"b\", \"task_name\": \"x\","
            + " \"kind\": \"bat\", \"status\": \"success\"}";
    return Stream.of(
        Arguments.of("{\"task_key\": ", "Invalid JSON body"),
        Arguments.of("not json", "Invalid JSON body"),
        Arguments.of("{\"task_key\": \"a\"} {\"task_key\": \"b\"}", "Invalid JSON body"),
        Arguments.of(duplicate, "Invalid JSON body: duplicate field"),
        Arguments.of("[]", "Request body must be a JSON object"),
        Arguments.of("[{\"task_key\": \"a\"}]", "Request body must be a JSON object"),
        Arguments.of("\"just a string\"", "Request body must be a JSON object"),
        Arguments.of("null", "Request body must be a JSON object"),
        Arguments.of("", "Request body must be a JSON object"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("bodiesThatAreNotOneJsonObject")
  void rejectsABodyThatIsNotOneJsonObject(String body, String message) {
    post(body).expectStatus().isBadRequest().expectBody().json(errorJson(message), true);

    assertNothingPublished();
  }

  @Test
  void checksTheSecretBeforeReadingTheBody() {
    Flux<DataBuffer> bodyThatMustNotBeRead =
        Flux.error(new AssertionError("the body was read before the secret was checked"));

    http.post()
        .uri("/api/monitor/report")
        .contentType(MediaType.APPLICATION_JSON)
        .body(bodyThatMustNotBeRead, DataBuffer.class)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(errorJson("Invalid or missing secret"), true);

    assertNothingPublished();
    assertThat(meters.counter("tcportal.reports.rejected", "reason", "unauthorized").count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void acceptsTheRotationSecret() {
    acceptingPublisher();

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", "slice-rotated")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal("rotated")))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void refusesAChunkedBodyThatGrowsPastOneMebibyte() {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    Flux<DataBuffer> chunks =
        Flux.range(0, 17).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.clone()));

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .body(chunks, DataBuffer.class)
        .exchange()
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .json(errorJson("Request body must be at most 1048576 bytes"), true);

    assertNothingPublished();
  }

  @Test
  void refusesADeclaredContentLengthPastOneMebibyte() {
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .contentLength(1024 * 1024 + 1)
        .body(Flux.error(new AssertionError("the body was read")), DataBuffer.class)
        .exchange()
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .json(errorJson("Request body must be at most 1048576 bytes"), true);

    assertNothingPublished();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/*",
        "*/*"
      })
  void readsAJsonBodyWhateverTheContentTypeSaysAsTheSpecsRouteDid(String contentType) {
    acceptingPublisher();
    double before = lenient("content_type");

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(HttpHeaders.CONTENT_TYPE, contentType)
        .bodyValue(
            Reports.json(Reports.complete("nightly_import")).getBytes(StandardCharsets.UTF_8))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    assertThat(published.getValue().taskName()).isEqualTo("ナイトリー取込");
    assertThat(lenient("content_type")).isEqualTo(before + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})
  void stillRefusesABodyThatIsNotJsonWhateverItsContentType(String contentType) {
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(HttpHeaders.CONTENT_TYPE, contentType)
        .bodyValue("task_key=a&status=failed".getBytes(StandardCharsets.UTF_8))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .json(errorJson("Invalid JSON body"), true);

    assertNothingPublished();
  }

  @Test
  void storesWhatTheSpecsServerAcceptedInTheDocumentedFormAndCountsEachLeniency() {
    acceptingPublisher();
    double zone = lenient("assumed_zone");
    double truncated = lenient("truncated");
    double rounded = lenient("duration_rounded");
    ObjectNode report = Reports.complete("spec_era");
    report.put("started_at", "2026-01-22T09:00:00");
    report.put("finished_at", "2026-01-22T09:00:01.5");
    report.put("message", "x".repeat(100_000));
    report.put("duration_ms", 1234.5);

    post(Reports.json(report)).expectStatus().isOk();

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    RunReported event = published.getValue();
    assertThat(event.startedAt()).isEqualTo(java.time.Instant.parse("2026-01-22T00:00:00Z"));
    assertThat(event.assumedTimeZone()).isEqualTo("Asia/Tokyo");
    assertThat(event.durationMs()).isEqualTo(1235);
    assertThat(event.message()).hasSize(65_536).endsWith("…(truncated, 100,000 characters)");
    assertThat(event.raw().get("started_at").stringValue()).isEqualTo("2026-01-22T09:00:00");
    assertThat(lenient("assumed_zone")).isEqualTo(zone + 1);
    assertThat(lenient("truncated")).isEqualTo(truncated + 1);
    assertThat(lenient("duration_rounded")).isEqualTo(rounded + 1);
  }

  @Test
  void storesANegativeDurationAsAbsent() {
    acceptingPublisher();
    double negative = lenient("duration_negative");

    post(Reports.json(Reports.complete("negative").put("duration_ms", -3))).expectStatus().isOk();

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    assertThat(published.getValue().durationMs()).isNull();
    assertThat(lenient("duration_negative")).isEqualTo(negative + 1);
  }

  private double lenient(String kind) {
    return meters.counter("tcportal.gateway.reports.lenient", "kind", kind).count();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/vnd.tcportal.report+json",
        ""
      })
  void acceptsJsonInAnyCharsetAnyJsonSuffixAndAMissingContentType(String contentType) {
    acceptingPublisher();
    WebTestClient.RequestBodySpec request =
        http.post().uri("/api/monitor/report").header("X-TC-Portal-Secret", SECRET);
    if (!contentType.isEmpty()) {
      request.header(HttpHeaders.CONTENT_TYPE, contentType);
    }

    request
        .bodyValue(Reports.json(Reports.minimal("nightly_import")).getBytes(StandardCharsets.UTF_8))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);

    verify(publisher).publish(any());
  }

  @Test
  void answersJsonWhateverTheClientAccepts() {
    acceptingPublisher();

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .accept(MediaType.TEXT_HTML)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal("nightly_import")))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);

    http.post()
        .uri("/api/monitor/report")
        .accept(MediaType.TEXT_HTML)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal("nightly_import")))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
  }

  @Test
  void decodesABodyInTheCharsetItDeclares() {
    acceptingPublisher();
    java.nio.charset.Charset shiftJis = java.nio.charset.Charset.forName("Shift_JIS");

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(HttpHeaders.CONTENT_TYPE, "application/json; charset=Shift_JIS")
        .bodyValue(Reports.json(Reports.complete("nightly_import")).getBytes(shiftJis))
        .exchange()
        .expectStatus()
        .isOk();

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    assertThat(published.getValue().taskName()).isEqualTo("ナイトリー取込");
    assertThat(published.getValue().raw().get("message").stringValue())
        .isEqualTo("処理失敗: 100件中3件でエラー");
  }

  @Test
  void acceptsUtf8WithAByteOrderMark() {
    acceptingPublisher();
    byte[] json = Reports.json(Reports.minimal("nightly_import")).getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, withBom, 3, json.length);

    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(withBom)
        .exchange()
        .expectStatus()
        .isOk();

    verify(publisher).publish(any());
  }

  @Test
  void rejectsBytesThatAreNotValidInTheDeclaredCharset() {
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(HttpHeaders.CONTENT_TYPE, "application/json; charset=Shift_JIS")
        .bodyValue(new byte[] {'{', '"', (byte) 0x81, (byte) 0x20, '"', '}'})
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .json(errorJson("Invalid JSON body"), true);

    assertNothingPublished();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "1-2-3-4-5", "{6f1c2e57-3a0b-4b6e-9a43-0d5c1f0e8a11}", ""})
  void refusesAnIdempotencyKeyThatIsNotAUuid(String key) {
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal("nightly_import")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .json(errorJson("Idempotency-Key must be a UUID"), true);

    assertNothingPublished();
  }

  @Test
  void publishesTheEventUnderTheReportIdOfTheKeyOnThisMonitor() {
    acceptingPublisher();
    UUID key = UUID.randomUUID();
    UUID monitorId =
        jp.tcportal.schema.identity.MonitorIdentity.monitorId(
            "nightly_import", jp.tcportal.schema.report.Kind.BAT, null);
    UUID expected = jp.tcportal.schema.identity.ReportIdentity.reportId(monitorId, key);

    postWithKey(key, Reports.minimal("nightly_import"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.report_id")
        .isEqualTo(expected.toString());

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    assertThat(published.getValue().reportId()).isEqualTo(expected);
    assertThat(published.getValue().bodyDigest()).hasSize(64);
  }

  @Test
  void answers409WhenAKeyIsReusedForADifferentReportOfTheSameTask() {
    acceptingPublisher();
    UUID key = UUID.randomUUID();
    double conflicts = meters.counter("tcportal.gateway.reports.idempotency.conflicts").count();

    postWithKey(key, Reports.complete("copied_script")).expectStatus().isOk();
    postWithKey(key, Reports.complete("copied_script").put("status", "success"))
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .json(errorJson(ReportController.IDEMPOTENCY_CONFLICT_MESSAGE), true);

    verify(publisher, org.mockito.Mockito.times(1)).publish(any());
    assertThat(meters.counter("tcportal.gateway.reports.idempotency.conflicts").count())
        .isEqualTo(conflicts + 1);
    assertThat(
            meters.counter("tcportal.reports.rejected", "reason", "idempotency_conflict").count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void answersARetryWithTheSameKeyAndReport200UnderTheSameReportId() {
    acceptingPublisher();
    UUID key = UUID.randomUUID();
    // A retry may differ in form (key order, offset, extra fields) but not in content.
    ObjectNode retry = Reports.complete("retried");
    retry.put("finished_at", "2026-01-22T09:05:30.123456Z");
    retry.put("sent_at", "2026-01-22T09:06:00Z");

    String first = reportIdOf(postWithKey(key, Reports.complete("retried")));
    String second = reportIdOf(postWithKey(key, retry));

    assertThat(second).isEqualTo(first);
    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher, org.mockito.Mockito.times(2)).publish(published.capture());
    assertThat(published.getAllValues().get(0).bodyDigest())
        .isEqualTo(published.getAllValues().get(1).bodyDigest());
  }

  @Test
  void givesOneKeyUsedByTwoTasksTwoReportIds() {
    acceptingPublisher();
    UUID key = UUID.randomUUID();

    String first = reportIdOf(postWithKey(key, Reports.complete("task_a")));
    String second = reportIdOf(postWithKey(key, Reports.complete("task_b")));
    String otherMachine =
        reportIdOf(postWithKey(key, Reports.complete("task_a").put("machine_name", "PC-02")));

    assertThat(first).isNotEqualTo(second).isNotEqualTo(otherMachine);
    verify(publisher, org.mockito.Mockito.times(3)).publish(any());
  }

  private WebTestClient.ResponseSpec postWithKey(UUID key, ObjectNode report) {
    return http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header("Idempotency-Key", key.toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(report).getBytes(StandardCharsets.UTF_8))
        .exchange();
  }

  private static String reportIdOf(WebTestClient.ResponseSpec answer) {
    return EventJson.mapper()
        .readTree(
            answer.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
        .get("report_id")
        .stringValue();
  }

  @Test
  void answers503WithRetryAfterWhenTheBrokerCannotTakeTheReport() {
    when(publisher.publish(any()))
        .thenReturn(
            Mono.error(
                new ReportNotQueuedException(
                    "broker away", ReportNotQueuedException.Kind.RETRY_LATER, null)));

    post(Reports.json(Reports.minimal("nightly_import")))
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectBody()
        .json(errorJson("Report could not be queued, retry later"), true);
  }

  @Test
  void answers500WhenTheGatewayCanNeverQueueAnyReport() {
    when(publisher.publish(any()))
        .thenReturn(
            Mono.error(
                new ReportNotQueuedException(
                    "not authorized", ReportNotQueuedException.Kind.GATEWAY_FAULT, null)));

    post(Reports.json(Reports.minimal("nightly_import")))
        .expectStatus()
        .isEqualTo(500)
        .expectHeader()
        .doesNotExist(HttpHeaders.RETRY_AFTER)
        .expectBody()
        .json(errorJson("Report could not be queued"), true);
  }

  @Test
  void answersAnUnexpectedFailureWithTheErrorShapeAndNoStackTrace() {
    when(publisher.publish(any()))
        .thenThrow(new IllegalStateException("internal detail that must stay inside"));

    String body =
        post(Reports.json(Reports.minimal("nightly_import")))
            .expectStatus()
            .isEqualTo(500)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(body).isEqualTo("{\"error\":\"Internal server error\"}");
  }

  private WebTestClient.ResponseSpec post(String body) {
    return http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body.getBytes(StandardCharsets.UTF_8))
        .exchange();
  }

  private void assertNothingPublished() {
    verify(publisher, never()).publish(any());
  }

  private void acceptingPublisher() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
  }

  private static String errorJson(String message) {
    return "{\"error\": \"" + message.replace("\"", "\\\"") + "\"}";
  }
}
