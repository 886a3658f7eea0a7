package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.identity.ReportIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.ReportLimits;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Whatever the gateway accepts, the processor stores: the gateway's boundary cases, parsed by the
 * shared parser as the gateway does, go through Kafka, the processor's real deserializer and guard,
 * into PostgreSQL, and every stored value is checked. And a reused Idempotency-Key with a different
 * report, which the gateway could not see (restart, another instance), is stored, not dropped.
 */
@SpringBootTest(
    properties = {
      "tcportal.topics.partitions=2",
      "tcportal.processor.retry-initial-interval=200ms",
      "tcportal.processor.retry-max-interval=2s"
    })
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class AcceptedReportsRoundTripTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String url = TestPostgres.newDatabase("processor_round_trip");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
  }

  private static KafkaProbe kafka;

  @Autowired private JdbcTemplate jdbc;
  @Autowired private MeterRegistry meters;

  @BeforeAll
  static void connect(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
    kafka = new KafkaProbe(bootstrapServers);
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  private static String body(String key, String extra) {
    return """
        {"task_key": "%s", "task_name": "境界", "kind": "bat", "status": "failed"%s}"""
        .formatted(key, extra);
  }

  private Map<String, Object> storedRun(UUID reportId) {
    await().atMost(PATIENCE).until(() -> !jdbc.queryForList(runQuery(), reportId).isEmpty());
    return jdbc.queryForList(runQuery(), reportId).get(0);
  }

  private static String runQuery() {
    return "SELECT r.*, r.raw::text AS raw_text, m.task_key, m.task_name, m.machine_name,"
        + " jsonb_typeof(r.raw) AS raw_type FROM task_monitor_runs r"
        + " JOIN task_monitors m ON m.id = r.monitor_id WHERE r.report_id = ?";
  }

  @Test
  void storesEveryBoundaryCaseTheGatewayAccepts() {
    String deepest = "[".repeat(ReportLimits.MAX_NESTING_DEPTH - 1) + "]".repeat(15);
    String unicode = "😀 日本語 العربية e\u0301 \u2028 \uFEFF 𠮷";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("depth", body(Reports.uniqueKey("depth"), ",\"extra\": " + deepest));
    cases.put(
        "lengths",
        """
        {"task_key": "%s", "task_name": "%s", "kind": "python", "status": "success",
         "machine_name": "%s", "message": "%s", "log_url": "%s"}"""
            .formatted(
                Reports.uniqueKey("len") + "k".repeat(200 - 12),
                "名".repeat(ReportLimits.MAX_TASK_NAME_LENGTH),
                "M".repeat(ReportLimits.MAX_MACHINE_NAME_LENGTH),
                "m".repeat(ReportLimits.MAX_MESSAGE_LENGTH),
                "u".repeat(ReportLimits.MAX_LOG_URL_LENGTH)));
    cases.put(
        "truncated",
        body(
            Reports.uniqueKey("cut"),
            ",\"message\": \"%s\", \"log_url\": \"%s\""
                .formatted("😀".repeat(50_000), "u".repeat(5000))));
    cases.put(
        "instants",
        body(
            Reports.uniqueKey("instants"),
            ",\"started_at\": \"0001-01-01T00:00:00Z\","
                + " \"finished_at\": \"9999-12-31T23:59:59.999999Z\""));
    cases.put(
        "numbers",
        body(
            Reports.uniqueKey("numbers"),
            ",\"exit_code\": 4294967295, \"duration_ms\": 2147483647,"
                + " \"big\": 99999999999999999999999999999999, \"tiny\": -1.5e-300,"
                + " \"huge\": 1.5e300"));
    cases.put("min_exit", body(Reports.uniqueKey("min_exit"), ",\"exit_code\": -2147483648"));
    cases.put(
        "unicode",
        """
        {"task_key": "%s", "task_name": "%s", "kind": "bat", "status": "success",
         "machine_name": "%s", "message": "%s", "%s": "%s"}"""
            .formatted(Reports.uniqueKey("ユニコード😀"), unicode, "ＰＣ－０１", unicode, unicode, unicode));
    cases.put(
        "lenient",
        body(
            Reports.uniqueKey("lenient"),
            ",\"started_at\": \"2026-01-22T09:00:00\", \"finished_at\": \"2026-01-22T09:00:01.5\","
                + " \"duration_ms\": 1234.5"));
    cases.put("negative", body(Reports.uniqueKey("negative"), ",\"duration_ms\": -3"));
    cases.put(
        "largest_body",
        body(Reports.uniqueKey("large"), ",\"padding\": \"" + "x".repeat(1_040_000) + "\""));

    Map<String, RunReported> events = new LinkedHashMap<>();
    cases.forEach((name, json) -> events.put(name, Reports.fromBody(json)));
    kafka.sendAll(new ArrayList<>(events.values()));

    Map<String, Object> depth = storedRun(events.get("depth").reportId());
    assertThat((String) depth.get("raw_text")).contains(deepest.replace("[]", "[]"));

    Map<String, Object> lengths = storedRun(events.get("lengths").reportId());
    assertThat((String) lengths.get("task_key")).hasSize(ReportLimits.MAX_TASK_KEY_LENGTH);
    assertThat((String) lengths.get("task_name")).hasSize(ReportLimits.MAX_TASK_NAME_LENGTH);
    assertThat((String) lengths.get("machine_name")).hasSize(ReportLimits.MAX_MACHINE_NAME_LENGTH);
    assertThat((String) lengths.get("message")).hasSize(ReportLimits.MAX_MESSAGE_LENGTH);
    assertThat((String) lengths.get("log_url")).hasSize(ReportLimits.MAX_LOG_URL_LENGTH);

    Map<String, Object> truncated = storedRun(events.get("truncated").reportId());
    assertThat((String) truncated.get("message"))
        .hasSizeLessThanOrEqualTo(ReportLimits.MAX_MESSAGE_LENGTH)
        .startsWith("😀😀")
        .endsWith("…(truncated, 100,000 characters)");
    assertThat((String) truncated.get("log_url")).endsWith("…(truncated, 5,000 characters)");
    assertThat((String) truncated.get("raw_text")).contains("😀".repeat(50_000));

    UUID instants = events.get("instants").reportId();
    storedRun(instants);
    // Read as OffsetDateTime: java.sql.Timestamp would switch to the Julian calendar before 1582.
    assertThat(instant("started_at", instants)).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(instant("finished_at", instants))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));

    Map<String, Object> numbers = storedRun(events.get("numbers").reportId());
    assertThat(numbers.get("exit_code")).isEqualTo(-1);
    assertThat(numbers.get("duration_ms")).isEqualTo(Integer.MAX_VALUE);
    assertThat((String) numbers.get("raw_text"))
        .contains("99999999999999999999999999999999")
        .contains("4294967295");
    assertThat(storedRun(events.get("min_exit").reportId()).get("exit_code"))
        .isEqualTo(Integer.MIN_VALUE);

    Map<String, Object> text = storedRun(events.get("unicode").reportId());
    assertThat(text.get("task_name")).isEqualTo(unicode);
    assertThat(text.get("message")).isEqualTo(unicode);
    assertThat(text.get("machine_name")).isEqualTo("ＰＣ－０１");
    assertThat((String) text.get("task_key")).startsWith("ユニコード😀");

    Map<String, Object> lenient = storedRun(events.get("lenient").reportId());
    assertThat(((Timestamp) lenient.get("started_at")).toInstant())
        .isEqualTo(Instant.parse("2026-01-22T00:00:00Z"));
    assertThat(((Timestamp) lenient.get("finished_at")).toInstant())
        .isEqualTo(Instant.parse("2026-01-22T00:00:01.500Z"));
    assertThat(lenient.get("assumed_time_zone")).isEqualTo("Asia/Tokyo");
    assertThat(lenient.get("duration_ms")).isEqualTo(1235);
    assertThat((String) lenient.get("raw_text")).contains("\"2026-01-22T09:00:00\"");
    assertThat(lenient.get("body_digest")).isEqualTo(events.get("lenient").bodyDigest());

    Map<String, Object> negative = storedRun(events.get("negative").reportId());
    assertThat(negative.get("duration_ms")).isNull();
    assertThat(negative.get("assumed_time_zone")).isNull();

    Map<String, Object> large = storedRun(events.get("largest_body").reportId());
    assertThat((String) large.get("raw_text")).hasSizeGreaterThan(1_040_000);
  }

  @Test
  void storesADifferentRunThatReusedAStoredRunsKeyUnderADerivedId() {
    String key = Reports.uniqueKey("reused");
    UUID monitorId = MonitorIdentity.monitorId(key, Kind.BAT, null);
    UUID reportId = ReportIdentity.reportId(monitorId, UUID.randomUUID());
    double conflictsBefore = conflicts();

    RunReported first =
        Reports.fromBody(reportId, body(key, ",\"finished_at\": \"2026-01-22T09:00:00Z\""));
    kafka.send(first);
    storedRun(reportId);
    // The gateway restarted and forgot the key; the script sent its next run with the same key.
    RunReported second =
        Reports.fromBody(
            reportId,
            body(key, ",\"finished_at\": \"2026-01-22T10:00:00Z\"").replace("failed", "success"));
    kafka.send(second);

    UUID derived = ReportIdentity.conflictId(reportId, second.bodyDigest());
    Map<String, Object> stored = storedRun(derived);
    assertThat(stored.get("status")).isEqualTo("success");
    assertThat(stored.get("body_digest")).isEqualTo(second.bodyDigest());
    assertThat(storedRun(reportId).get("status")).isEqualTo("failed");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.queryForObject(
                            "SELECT last_status FROM task_monitors WHERE id = ?",
                            String.class,
                            monitorId))
                    .isEqualTo("success"));
    assertThat(conflicts()).isEqualTo(conflictsBefore + 1);

    // A true retry of either run (same key, same report) and a redelivery stay no-ops.
    kafka.send(Reports.fromBody(reportId, body(key, ",\"finished_at\": \"2026-01-22T09:00:00Z\"")));
    kafka.send(second);
    RunReported marker = Reports.fromBody(body(key, ",\"finished_at\": \"2026-01-22T11:00:00Z\""));
    kafka.send(marker);
    storedRun(marker.reportId());
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM task_monitor_runs WHERE monitor_id = ?",
                Integer.class,
                monitorId))
        .isEqualTo(3);
    assertThat(conflicts()).isEqualTo(conflictsBefore + 1);
  }

  @Test
  void keepsBothRunsWhenOneKeyBringsTwoDifferentReportsInOneBatch() {
    String key = Reports.uniqueKey("same_batch");
    UUID monitorId = MonitorIdentity.monitorId(key, Kind.BAT, null);
    UUID reportId = ReportIdentity.reportId(monitorId, UUID.randomUUID());
    RunReported first =
        Reports.fromBody(reportId, body(key, ",\"finished_at\": \"2026-01-22T09:00:00Z\""));
    RunReported second =
        Reports.fromBody(reportId, body(key, ",\"finished_at\": \"2026-01-22T10:00:00Z\""));
    RunReported retryOfFirst =
        Reports.fromBody(reportId, body(key, ",\"finished_at\": \"2026-01-22T09:00:00Z\""));

    kafka.sendAll(List.of(first, second, retryOfFirst));

    storedRun(reportId);
    storedRun(ReportIdentity.conflictId(reportId, second.bodyDigest()));
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM task_monitor_runs WHERE monitor_id = ?",
                Integer.class,
                monitorId))
        .isEqualTo(2);
  }

  private Instant instant(String column, UUID reportId) {
    return jdbc.queryForObject(
            "SELECT " + column + " FROM task_monitor_runs WHERE report_id = ?",
            java.time.OffsetDateTime.class,
            reportId)
        .toInstant();
  }

  private double conflicts() {
    return meters.get("tcportal.processor.runs.idempotency.conflicts").counter().count();
  }
}
