package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.RunStatus;
import jp.tcportal.schema.topic.Topics;
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
 * A database that the original specification's own migration created (random monitor ids, a run
 * from before this system) is migrated additively at start-up, validated by Hibernate, and then
 * processed like any other: existing monitors keep their ids.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"tcportal.topics.partitions=3", "tcportal.processor.relay-interval=100ms"})
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class SpecSchemaDatabaseTest {

  private static final Duration PATIENCE = Duration.ofSeconds(45);

  /** Section 2 of the specification, verbatim (RLS included). */
  private static final String SPEC_MIGRATION =
      """
      DO $$ BEGIN CREATE ROLE authenticated; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

      CREATE TABLE public.task_monitors (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        task_key TEXT NOT NULL,
        task_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        machine_name TEXT NULL,
        enabled BOOLEAN NOT NULL DEFAULT true,
        last_status TEXT NULL,
        last_started_at TIMESTAMPTZ NULL,
        last_finished_at TIMESTAMPTZ NULL,
        last_exit_code INT NULL,
        last_message TEXT NULL,
        last_log_url TEXT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX idx_task_monitors_unique
        ON public.task_monitors(task_key, kind, COALESCE(machine_name, ''));

      CREATE TABLE public.task_monitor_runs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        monitor_id UUID NOT NULL REFERENCES task_monitors(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        started_at TIMESTAMPTZ NULL,
        finished_at TIMESTAMPTZ NULL,
        duration_ms INT NULL,
        exit_code INT NULL,
        message TEXT NULL,
        log_url TEXT NULL,
        raw JSONB NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX idx_task_monitor_runs_monitor_id
        ON task_monitor_runs(monitor_id, created_at DESC);

      ALTER TABLE task_monitors ENABLE ROW LEVEL SECURITY;
      ALTER TABLE task_monitor_runs ENABLE ROW LEVEL SECURITY;
      CREATE POLICY "Authenticated users can view task_monitors"
        ON task_monitors FOR SELECT TO authenticated USING (true);
      CREATE POLICY "Authenticated users can view task_monitor_runs"
        ON task_monitor_runs FOR SELECT TO authenticated USING (true);
      """;

  private static final UUID LEGACY_ID = UUID.randomUUID();
  private static KafkaProbe kafka;

  @Autowired private JdbcTemplate jdbc;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws SQLException {
    String url = TestPostgres.newDatabase("spec_schema");
    try (Connection connection =
            DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(SPEC_MIGRATION);
      statement.execute(
          "INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name, last_status,"
              + " last_finished_at) VALUES ('"
              + LEGACY_ID
              + "', 'legacy_job', '旧タスク', 'bat', NULL, 'failed', '2026-01-01T00:00:00Z')");
      statement.execute(
          "INSERT INTO task_monitor_runs (monitor_id, status, raw) VALUES ('"
              + LEGACY_ID
              + "', 'failed', '{\"task_key\": \"legacy_job\"}')");
    }
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
  }

  @BeforeAll
  static void connect(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
    kafka = new KafkaProbe(bootstrapServers);
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void storesReportsOfAnExistingMonitorUnderItsRandomId() {
    RunReported report =
        Reports.fromBody(
            """
            {"task_key": "legacy_job", "task_name": "新タスク", "kind": "bat", "status": "success",
             "finished_at": "2026-01-22T09:00:00Z", "exit_code": 0}
            """);
    assertThat(report.monitorId()).isNotEqualTo(LEGACY_ID);

    kafka.send(report);

    await()
        .atMost(PATIENCE)
        .until(() -> !new Tables(jdbc).runsWithReport(report.reportId()).isEmpty());
    assertThat(new Tables(jdbc).runsWithReport(report.reportId()).get(0))
        .containsEntry("monitor_id", LEGACY_ID);
    List<Map<String, Object>> monitors = new Tables(jdbc).monitors("legacy_job");
    assertThat(monitors).hasSize(1);
    assertThat(monitors.get(0))
        .containsEntry("id", LEGACY_ID)
        .containsEntry("task_name", "新タスク")
        .containsEntry("last_status", "success")
        .containsEntry("failure_streak", 0)
        .containsEntry("enabled", true);
    assertThat(new Tables(jdbc).runsOf(LEGACY_ID)).hasSize(2);

    MonitorStatusChanged change =
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    kafka.records(Topics.MONITOR_STATUS_CHANGED.name()).stream()
                        .filter(r -> LEGACY_ID.toString().equals(r.key()))
                        .map(
                            r ->
                                EventJson.mapper().readValue(r.value(), MonitorStatusChanged.class))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(change.monitorId()).isEqualTo(LEGACY_ID);
    assertThat(change.previousStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(change.status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void givesNewMonitorsTheirDerivedId() {
    RunReported report =
        Reports.fromBody(Reports.body("fresh_job", "failed", "2026-01-22T09:00:00Z"));

    kafka.send(report);

    await()
        .atMost(PATIENCE)
        .until(() -> !new Tables(jdbc).runsWithReport(report.reportId()).isEmpty());
    assertThat(new Tables(jdbc).monitor("fresh_job", "python", null).orElseThrow())
        .containsEntry("id", report.monitorId())
        .containsEntry("failure_streak", 1);
  }
}
