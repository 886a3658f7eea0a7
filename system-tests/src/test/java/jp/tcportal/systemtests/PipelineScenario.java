package jp.tcportal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.identity.ReportIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.testsupport.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The pipeline from a client's POST to the spec's two tables, through the packaged gateway and
 * processor jars. Subclasses only say where Kafka and PostgreSQL are; the assertions are shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineScenario {

  static final String SECRET = "system-test-secret";
  static final String ADMIN_PASSWORD = "system-test-admin";

  private final HttpClient http = HttpClient.newHttpClient();
  private Engines engines;
  private ServiceProcess processor;
  private ServiceProcess gateway;
  private ServiceProcess incidents;
  private URI reportUri;
  private String incidentsUrl;

  /** Starts the engines of this variant. */
  abstract Engines startEngines();

  /** Stops the engines of this variant. */
  abstract void stopEngines();

  @BeforeAll
  void startPipeline() {
    engines = startEngines();
    Path logs = Path.of("target", "service-logs", getClass().getSimpleName());
    int processorPort = freePort();
    processor =
        ServiceProcess.start(
                "run-processor",
                ServiceProcess.moduleJar("run-processor"),
                List.of(
                    "--spring.kafka.bootstrap-servers=" + engines.kafkaBootstrapServers(),
                    "--spring.datasource.url=" + engines.jdbcUrl(),
                    "--spring.datasource.username=" + engines.dbUser(),
                    "--spring.datasource.password=" + engines.dbPassword(),
                    "--server.port=" + processorPort,
                    "--management.server.port=" + processorPort),
                Map.of(),
                logs)
            .awaitHealthy(
                URI.create("http://localhost:" + processorPort + "/actuator/health"),
                Duration.ofSeconds(120));
    int gatewayPort = freePort();
    gateway =
        ServiceProcess.start(
                "ingest-gateway",
                ServiceProcess.moduleJar("ingest-gateway"),
                List.of(
                    "--spring.kafka.bootstrap-servers=" + engines.kafkaBootstrapServers(),
                    "--server.port=" + gatewayPort),
                Map.of("TC_PORTAL_WEBHOOK_SECRET", SECRET),
                logs)
            .awaitHealthy(
                URI.create("http://localhost:" + gatewayPort + "/actuator/health"),
                Duration.ofSeconds(120));
    reportUri = URI.create("http://localhost:" + gatewayPort + "/api/monitor/report");
    int incidentsPort = freePort();
    incidents =
        ServiceProcess.start(
                "incidents-service",
                ServiceProcess.moduleJar("incidents-service"),
                List.of(
                    "--spring.datasource.url=" + engines.jdbcUrl(),
                    "--spring.datasource.username=" + engines.dbUser(),
                    "--spring.datasource.password=" + engines.dbPassword(),
                    // As in production: the processor owns the migration, this one waits for it.
                    "--tcportal.incidents.migrate=false",
                    "--server.port=" + incidentsPort),
                Map.of("TC_PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD),
                logs)
            .awaitHealthy(
                URI.create("http://localhost:" + incidentsPort + "/actuator/health"),
                Duration.ofSeconds(120));
    incidentsUrl = "http://localhost:" + incidentsPort;
  }

  @AfterAll
  void stopPipeline() {
    if (incidents != null) {
      incidents.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (processor != null) {
      processor.close();
    }
    stopEngines();
  }

  private HttpResponse<String> post(String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(reportUri)
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("X-TC-Portal-Secret", SECRET)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void storesAPostedReportInBothTablesWithTheSpecsValuesAndRaw() throws Exception {
    String taskKey = "nightly_import_" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        """
        {"task_key":"%s","task_name":"ナイトリー取込","kind":"bat","status":"failed",
         "started_at":"2026-01-22T09:00:00Z","finished_at":"2026-01-22T09:05:30Z",
         "exit_code":3221225477,"message":"処理失敗: 接続エラー","log_url":"C:\\\\Logs\\\\run.log",
         "machine_name":"PC-01"}"""
            .formatted(taskKey);

    HttpResponse<String> response = post(body, null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = EventJson.mapper().readTree(response.body());
    UUID monitorId = MonitorIdentity.monitorId(taskKey, Kind.BAT, "PC-01");
    assertThat(answer.get("ok").asBoolean()).isTrue();
    assertThat(answer.get("task_key").asString()).isEqualTo(taskKey);
    assertThat(answer.get("monitor_id").asString()).isEqualTo(monitorId.toString());
    UUID reportId = UUID.fromString(answer.get("report_id").asString());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(countRuns(monitorId)).isEqualTo(1));
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT m.task_key, m.task_name, m.kind, m.machine_name, m.enabled, m.last_status,"
                    + " m.last_started_at, m.last_finished_at, m.last_exit_code, m.last_message,"
                    + " m.last_log_url, r.status, r.duration_ms, r.exit_code, r.report_id,"
                    + " r.raw::text FROM task_monitors m JOIN task_monitor_runs r"
                    + " ON r.monitor_id = m.id WHERE m.id = ?")) {
      query.setObject(1, monitorId);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("task_key")).isEqualTo(taskKey);
        assertThat(row.getString("task_name")).isEqualTo("ナイトリー取込");
        assertThat(row.getString("kind")).isEqualTo("bat");
        assertThat(row.getString("machine_name")).isEqualTo("PC-01");
        assertThat(row.getBoolean("enabled")).isTrue();
        assertThat(row.getString("last_status")).isEqualTo("failed");
        assertThat(row.getObject("last_started_at", OffsetDateTime.class))
            .isEqualTo(OffsetDateTime.of(2026, 1, 22, 9, 0, 0, 0, ZoneOffset.UTC));
        assertThat(row.getObject("last_finished_at", OffsetDateTime.class))
            .isEqualTo(OffsetDateTime.of(2026, 1, 22, 9, 5, 30, 0, ZoneOffset.UTC));
        assertThat(row.getInt("last_exit_code")).isEqualTo(-1073741819);
        assertThat(row.getString("last_message")).isEqualTo("処理失敗: 接続エラー");
        assertThat(row.getString("last_log_url")).isEqualTo("C:\\Logs\\run.log");
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getInt("duration_ms")).isEqualTo(330_000);
        assertThat(row.getInt("exit_code")).isEqualTo(-1073741819);
        assertThat(row.getObject("report_id")).isEqualTo(reportId);
        assertThat(EventJson.mapper().readTree(row.getString("raw")))
            .isEqualTo(EventJson.mapper().readTree(body));
      }
    }
  }

  @Test
  void storesARetriedRunOnceWhenTheClientReusesItsIdempotencyKey() throws Exception {
    String taskKey = "retry_" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        """
        {"task_key":"%s","task_name":"再送","kind":"python","status":"success"}"""
            .formatted(taskKey);
    String key = UUID.randomUUID().toString();

    assertThat(post(body, key).statusCode()).isEqualTo(200);
    assertThat(post(body, key).statusCode()).isEqualTo(200);
    String third = post(body, key).body();

    UUID monitorId = MonitorIdentity.monitorId(taskKey, Kind.PYTHON, null);
    assertThat(EventJson.mapper().readTree(third).get("report_id").asString())
        .isEqualTo(ReportIdentity.reportId(monitorId, UUID.fromString(key)).toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(countRuns(monitorId)).isEqualTo(1));
    // A later, different run of the same task is stored beside it: the key, not the task, dedupes.
    assertThat(post(body, UUID.randomUUID().toString()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(countRuns(monitorId)).isEqualTo(2));
  }

  private HttpResponse<String> postAs(String contentType, String body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(reportUri)
            .timeout(Duration.ofSeconds(15))
            .header("X-TC-Portal-Secret", SECRET)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One stored run of a monitor, with its monitor's name, once the processor has stored it. */
  private Map<String, Object> storedRun(UUID monitorId) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(countRuns(monitorId)).isEqualTo(1));
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT m.task_name, r.started_at, r.finished_at, r.duration_ms, r.message,"
                    + " r.log_url, r.assumed_time_zone, r.body_digest, r.raw->>'started_at'"
                    + " AS raw_started_at, length(r.raw->>'message') AS raw_message_length"
                    + " FROM task_monitors m JOIN task_monitor_runs r ON r.monitor_id = m.id"
                    + " WHERE m.id = ?")) {
      query.setObject(1, monitorId);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        Map<String, Object> values = new java.util.HashMap<>();
        for (String column :
            List.of(
                "task_name",
                "duration_ms",
                "message",
                "log_url",
                "assumed_time_zone",
                "body_digest",
                "raw_started_at",
                "raw_message_length")) {
          values.put(column, row.getObject(column));
        }
        values.put("started_at", row.getObject("started_at", OffsetDateTime.class));
        values.put("finished_at", row.getObject("finished_at", OffsetDateTime.class));
        return values;
      }
    }
  }

  @Test
  void storesWhatTheSpecsServerAcceptedAsDocumentedInSpecMd() throws Exception {
    String taskKey = "spec_era_" + UUID.randomUUID().toString().substring(0, 8);
    // The spec's Python client: datetime.now().isoformat() has no offset; a long message.
    String naive =
        """
        {"task_key":"%s","task_name":"%s","kind":"python","status":"failed",
         "started_at":"2026-01-22T09:00:00.250000","finished_at":"2026-01-22T09:05:30",
         "duration_ms":1234.5,"message":"%s","log_url":"%s","machine_name":"PC-A"}"""
            .formatted(taskKey, "名".repeat(600), "あ".repeat(100_000), "u".repeat(5000));
    String curlForm =
        """
        {"task_key":"%s","task_name":"curl -d","kind":"python","status":"success",
         "duration_ms":-3,"machine_name":"PC-B"}"""
            .formatted(taskKey);
    String noType =
        """
        {"task_key":"%s","task_name":"no type","kind":"python","status":"success",
         "finished_at":"2026-01-22T18:00:00+09:00","machine_name":"PC-C"}"""
            .formatted(taskKey);

    assertThat(postAs("text/plain", naive, null).statusCode()).isEqualTo(200);
    assertThat(postAs("application/x-www-form-urlencoded", curlForm, null).statusCode())
        .isEqualTo(200);
    assertThat(postAs(null, noType, null).statusCode()).isEqualTo(200);
    assertThat(postAs("application/json; charset=x-no-such-charset", noType, null).statusCode())
        .isEqualTo(415);
    assertThat(postAs("text/plain", "task_key=" + taskKey, null).statusCode()).isEqualTo(400);

    Map<String, Object> spec = storedRun(MonitorIdentity.monitorId(taskKey, Kind.PYTHON, "PC-A"));
    assertThat(spec.get("started_at"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 22, 0, 0, 0, 250_000_000, ZoneOffset.UTC));
    assertThat(spec.get("finished_at"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 22, 0, 5, 30, 0, ZoneOffset.UTC));
    assertThat(spec.get("assumed_time_zone")).isEqualTo("Asia/Tokyo");
    assertThat(spec.get("raw_started_at")).isEqualTo("2026-01-22T09:00:00.250000");
    assertThat(spec.get("duration_ms")).isEqualTo(1235);
    assertThat((String) spec.get("message"))
        .hasSize(65_536)
        .startsWith("ああ")
        .endsWith("…(truncated, 100,000 characters)");
    assertThat(spec.get("raw_message_length")).isEqualTo(100_000);
    assertThat((String) spec.get("log_url"))
        .hasSize(4096)
        .endsWith("…(truncated, 5,000 characters)");
    assertThat((String) spec.get("task_name"))
        .hasSize(500)
        .endsWith("…(truncated, 600 characters)");
    assertThat((String) spec.get("body_digest")).hasSize(64);

    Map<String, Object> curl = storedRun(MonitorIdentity.monitorId(taskKey, Kind.PYTHON, "PC-B"));
    assertThat(curl.get("duration_ms")).isNull();
    assertThat(curl.get("assumed_time_zone")).isNull();

    Map<String, Object> plain = storedRun(MonitorIdentity.monitorId(taskKey, Kind.PYTHON, "PC-C"));
    assertThat(plain.get("finished_at"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 22, 9, 0, 0, 0, ZoneOffset.UTC));
    assertThat(plain.get("assumed_time_zone")).isNull();
  }

  @Test
  void scopesAnIdempotencyKeyToItsTaskAndRefusesItForADifferentRun() throws Exception {
    String taskKey = "shared_key_" + UUID.randomUUID().toString().substring(0, 8);
    String key = UUID.randomUUID().toString();
    String first =
        """
        {"task_key":"%s_a","task_name":"a","kind":"bat","status":"success"}"""
            .formatted(taskKey);
    String second =
        """
        {"task_key":"%s_b","task_name":"b","kind":"bat","status":"failed"}"""
            .formatted(taskKey);

    // One fixed key in two task actions: two runs, not one.
    assertThat(post(first, key).statusCode()).isEqualTo(200);
    assertThat(post(second, key).statusCode()).isEqualTo(200);
    // The same key for the next, different run of a task: refused, not acknowledged and dropped.
    HttpResponse<String> conflict = post(first.replace("success", "failed"), key);
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(EventJson.mapper().readTree(conflict.body()).get("error").asString())
        .startsWith("Idempotency-Key was already used for a different report of this task");
    // A true retry of the first run: 200, still one run.
    assertThat(post(first, key).statusCode()).isEqualTo(200);

    UUID a = MonitorIdentity.monitorId(taskKey + "_a", Kind.BAT, null);
    UUID b = MonitorIdentity.monitorId(taskKey + "_b", Kind.BAT, null);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(countRuns(a)).isEqualTo(1);
              assertThat(countRuns(b)).isEqualTo(1);
            });
  }

  @Test
  void refusesAStrangerAndStoresNothing() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(reportUri)
            .header("Content-Type", "application/json")
            .header("X-TC-Portal-Secret", "wrong")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"task_key\":\"intruder\",\"task_name\":\"x\",\"kind\":\"bat\",\"status\":\"failed\"}"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("{\"error\":\"Invalid or missing secret\"}");
    assertThat(countRuns(MonitorIdentity.monitorId("intruder", Kind.BAT, null))).isZero();
  }

  @Test
  void showsAPostedFailureOnTheDashboardWithTheBadge() throws Exception {
    String taskKey = "e2e_dashboard_" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        """
        {"task_key":"%s","task_name":"月次締め処理","kind":"python","status":"failed",
         "exit_code":2,"message":"在庫データの取込に失敗","machine_name":"PC-E2E",
         "finished_at":"%s"}"""
            .formatted(taskKey, java.time.Instant.now().minusSeconds(120));
    assertThat(post(body, null).statusCode()).isEqualTo(200);
    UUID monitorId = MonitorIdentity.monitorId(taskKey, Kind.PYTHON, "PC-E2E");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(countRuns(monitorId)).isEqualTo(1));

    try (Dashboard dashboard = Dashboard.open(incidentsUrl, "admin", ADMIN_PASSWORD)) {
      Dashboard.Row row = dashboard.row(monitorId);
      assertThat(row.taskKey()).isEqualTo(taskKey);
      assertThat(row.taskName()).isEqualTo("月次締め処理");
      assertThat(row.status()).isEqualTo("failed");
      assertThat(row.text()).contains("PC-E2E", "在庫データの取込に失敗", "分前");
      assertThat(dashboard.badge()).isEqualTo(String.valueOf(failingEnabledMonitors()));
      dashboard.screenshot(Path.of("target", "screenshots", getClass().getSimpleName() + ".png"));
    }
  }

  private int failingEnabledMonitors() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(engines.jdbcUrl(), engines.dbUser(), engines.dbPassword());
  }

  private int countRuns(UUID monitorId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM task_monitor_runs WHERE monitor_id = ?")) {
      query.setObject(1, monitorId);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return 0; // the processor has not created the schema yet
      }
      throw e;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port", e);
    }
  }
}
