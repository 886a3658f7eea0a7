package jp.tcportal.schema.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.report.RunStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Pins the wire form of the events: consumers in other languages read exactly this JSON. */
class RunReportedJsonTest {

  private static final String BODY =
      """
      {"task_key":"nightly_import","task_name":"ナイトリー取込","kind":"bat","status":"failed",\
      "started_at":"2026-01-22T09:00:00Z","finished_at":"2026-01-22T18:05:30.5+09:00",\
      "exit_code":3221225477,"message":"処理失敗","log_url":"C:\\\\Logs\\\\a.log","machine_name":"PC-01"}""";

  private static final String EVENT_JSON =
      """
      {"schema_version":1,"report_id":"0b8f3f8e-5d7c-4a51-9d3e-2f1f6d0a9c11",\
      "monitor_id":"c22c87cb-f239-578f-95a3-89884033b4b1","received_at":"2026-01-22T09:05:31Z",\
      "task_key":"nightly_import","task_name":"ナイトリー取込","kind":"bat","status":"failed",\
      "started_at":"2026-01-22T09:00:00Z","finished_at":"2026-01-22T09:05:30.500Z","duration_ms":null,\
      "exit_code":-1073741819,"message":"処理失敗","log_url":"C:\\\\Logs\\\\a.log","machine_name":"PC-01",\
      "raw":{"task_key":"nightly_import","task_name":"ナイトリー取込","kind":"bat","status":"failed",\
      "started_at":"2026-01-22T09:00:00Z","finished_at":"2026-01-22T18:05:30.5+09:00",\
      "exit_code":3221225477,"message":"処理失敗","log_url":"C:\\\\Logs\\\\a.log","machine_name":"PC-01"},\
      "body_digest":"96e94aea2915f30cff9b1b317744452628452cb8ac9e4c3cec7710c266fc6ed8","assumed_time_zone":null}""";

  /** What a producer from before the optional fields wrote. */
  private static final String EVENT_JSON_V1_0 =
      EVENT_JSON.replace(
          ",\"body_digest\":\"96e94aea2915f30cff9b1b317744452628452cb8ac9e4c3cec7710c266fc6ed8\",\"assumed_time_zone\":null",
          "");

  private static RunReported event() {
    ReportParser.ParsedReport parsed = ReportParser.parse(BODY.getBytes(StandardCharsets.UTF_8));
    return RunReported.of(
        UUID.fromString("0b8f3f8e-5d7c-4a51-9d3e-2f1f6d0a9c11"),
        Instant.parse("2026-01-22T09:05:31Z"),
        parsed.report(),
        parsed.body());
  }

  @Test
  void writesTheFixedSnakeCaseJson() {
    JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsString(event()));
    assertThat(written).isEqualTo(EventJson.mapper().readTree(EVENT_JSON));
  }

  @Test
  void readsTheFixedJsonBackIntoTheSameEvent() {
    RunReported read = EventJson.mapper().readValue(EVENT_JSON, RunReported.class);
    assertThat(read).isEqualTo(event());
    assertThat(read.kind()).isEqualTo(Kind.BAT);
    assertThat(read.status()).isEqualTo(RunStatus.FAILED);
    assertThat(read.exitCode()).isEqualTo(-1073741819);
  }

  @Test
  void roundTripsThroughTheKafkaSerdes() {
    byte[] bytes = new JsonEventSerializer<RunReported>().serialize("t", event());
    assertThat(new JsonEventDeserializer.RunReportedDeserializer().deserialize("t", bytes))
        .isEqualTo(event());
  }

  @Test
  void ignoresFieldsAddedByANewerProducer() {
    String withExtra =
        EVENT_JSON.replace("{\"schema_version\":1,", "{\"schema_version\":1,\"x\":2,");
    assertThat(EventJson.mapper().readValue(withExtra, RunReported.class)).isEqualTo(event());
  }

  @Test
  void readsAnEventFromBeforeTheOptionalFieldsWithThemAbsent() {
    RunReported read = EventJson.mapper().readValue(EVENT_JSON_V1_0, RunReported.class);
    assertThat(read.bodyDigest()).isNull();
    assertThat(read.assumedTimeZone()).isNull();
    assertThat(read.withReportId(event().reportId()).report()).isEqualTo(event().report());
  }

  @Test
  void carriesTheZoneInWhichAnInstantWithoutOffsetWasRead() {
    ReportParser.ParsedReport parsed =
        ReportParser.parse(
            BODY.replace("2026-01-22T09:00:00Z", "2026-01-22T18:00:00")
                .getBytes(StandardCharsets.UTF_8));
    RunReported event =
        RunReported.of(UUID.randomUUID(), Instant.now(), parsed.report(), parsed.body());
    byte[] bytes = new JsonEventSerializer<RunReported>().serialize("t", event);
    RunReported read = new JsonEventDeserializer.RunReportedDeserializer().deserialize("t", bytes);
    assertThat(read.assumedTimeZone()).isEqualTo("Asia/Tokyo");
    assertThat(read.startedAt()).isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    assertThat(read.raw().get("started_at").stringValue()).isEqualTo("2026-01-22T18:00:00");
    assertThat(read.bodyDigest()).isEqualTo(event().bodyDigest());
  }

  @Test
  void readsAnEventWhoseRawIsNestedAsDeepAsABodyMayBe() {
    String deepest = "[".repeat(15) + "]".repeat(15);
    ReportParser.ParsedReport parsed =
        ReportParser.parse(
            BODY.replace("{\"task_key\"", "{\"extra\":" + deepest + ",\"task_key\"")
                .getBytes(StandardCharsets.UTF_8));
    RunReported event =
        RunReported.of(UUID.randomUUID(), Instant.now(), parsed.report(), parsed.body());
    byte[] bytes = new JsonEventSerializer<RunReported>().serialize("t", event);
    assertThat(new JsonEventDeserializer.RunReportedDeserializer().deserialize("t", bytes))
        .isEqualTo(event);
  }

  @Test
  void ordersByFinishedThenStartedThenReceived() {
    RunReported full = event();
    assertThat(full.occurredAt()).isEqualTo(Instant.parse("2026-01-22T09:05:30.500Z"));
    RunReported noFinish =
        EventJson.mapper()
            .readValue(
                EVENT_JSON.replace(
                    "\"finished_at\":\"2026-01-22T09:05:30.500Z\"", "\"finished_at\":null"),
                RunReported.class);
    assertThat(noFinish.occurredAt()).isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    assertThat(noFinish.effectiveDurationMs()).isNull();
  }

  @Test
  void derivesTheDurationFromTheInstantsWhenTheClientSentNone() {
    assertThat(event().effectiveDurationMs()).isEqualTo(330_500);
  }

  @Test
  void writesTheStatusChangeEventInSnakeCase() {
    MonitorStatusChanged changed =
        new MonitorStatusChanged(
            1,
            UUID.fromString("11111111-2222-4333-8444-555555555555"),
            UUID.fromString("c22c87cb-f239-578f-95a3-89884033b4b1"),
            "nightly_import",
            "ナイトリー取込",
            Kind.BAT,
            "PC-01",
            RunStatus.SUCCESS,
            RunStatus.FAILED,
            1,
            UUID.fromString("0b8f3f8e-5d7c-4a51-9d3e-2f1f6d0a9c11"),
            Instant.parse("2026-01-22T09:05:30Z"),
            1,
            "boom");
    assertThat(EventJson.mapper().readTree(EventJson.mapper().writeValueAsString(changed)))
        .isEqualTo(
            EventJson.mapper()
                .readTree(
                    """
                    {"schema_version":1,"event_id":"11111111-2222-4333-8444-555555555555",\
                    "monitor_id":"c22c87cb-f239-578f-95a3-89884033b4b1","task_key":"nightly_import",\
                    "task_name":"ナイトリー取込","kind":"bat","machine_name":"PC-01",\
                    "previous_status":"success","status":"failed","failure_streak":1,\
                    "report_id":"0b8f3f8e-5d7c-4a51-9d3e-2f1f6d0a9c11",\
                    "occurred_at":"2026-01-22T09:05:30Z","exit_code":1,"message":"boom"}"""));
  }
}
