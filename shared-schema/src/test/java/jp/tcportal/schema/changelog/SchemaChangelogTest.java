package jp.tcportal.schema.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import jp.tcportal.testsupport.TestPostgres;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.Test;

/**
 * The changelog on a real PostgreSQL 17: the spec's tables, and compatibility with the spec's own
 * DDL.
 */
class SchemaChangelogTest {

  private static final String CHANGELOG = "db/changelog/tcportal-changelog.yaml";

  private static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
  }

  private static void migrate(Connection connection) throws Exception {
    Database database =
        DatabaseFactory.getInstance()
            .findCorrectDatabaseImplementation(new JdbcConnection(connection));
    new CommandScope(UpdateCommandStep.COMMAND_NAME)
        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
        .execute();
  }

  private static List<String> columns(Connection connection, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT column_name || ' ' || data_type || ' ' || is_nullable"
                    + " || coalesce(' default ' || column_default, '')"
                    + " FROM information_schema.columns WHERE table_name = '"
                    + table
                    + "' ORDER BY ordinal_position")) {
      while (rows.next()) {
        columns.add(rows.getString(1));
      }
    }
    return columns;
  }

  private static String indexDefinition(Connection connection, String index) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT indexdef FROM pg_indexes WHERE indexname = '" + index + "'")) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  @Test
  void createsTheSpecsTablesWithTheirColumnsTypesAndDefaults() throws Exception {
    try (Connection connection = connect(TestPostgres.newDatabase("changelog_fresh"))) {
      migrate(connection);

      assertThat(columns(connection, "task_monitors"))
          .startsWith(
              "id uuid NO default gen_random_uuid()",
              "task_key text NO",
              "task_name text NO",
              "kind text NO",
              "machine_name text YES",
              "enabled boolean NO default true",
              "last_status text YES",
              "last_started_at timestamp with time zone YES",
              "last_finished_at timestamp with time zone YES",
              "last_exit_code integer YES",
              "last_message text YES",
              "last_log_url text YES",
              "created_at timestamp with time zone NO default now()",
              "updated_at timestamp with time zone NO default now()")
          .contains(
              "last_occurred_at timestamp with time zone YES",
              "failure_streak integer NO default 0");
      assertThat(columns(connection, "task_monitor_runs"))
          .startsWith(
              "id uuid NO default gen_random_uuid()",
              "monitor_id uuid NO",
              "status text NO",
              "started_at timestamp with time zone YES",
              "finished_at timestamp with time zone YES",
              "duration_ms integer YES",
              "exit_code integer YES",
              "message text YES",
              "log_url text YES",
              "raw jsonb YES",
              "created_at timestamp with time zone NO default now()")
          .contains(
              "report_id uuid YES",
              "received_at timestamp with time zone YES",
              "body_digest text YES",
              "assumed_time_zone text YES");

      assertThat(indexDefinition(connection, "idx_task_monitors_unique"))
          .contains("UNIQUE INDEX")
          .contains("(task_key, kind, COALESCE(machine_name, ''::text))");
      assertThat(indexDefinition(connection, "idx_task_monitor_runs_monitor_id"))
          .contains("(monitor_id, created_at DESC)");
      assertThat(indexDefinition(connection, "idx_task_monitor_runs_report_id"))
          .contains("UNIQUE INDEX");
      assertThat(indexDefinition(connection, "idx_task_monitors_failing"))
          .contains("WHERE ((last_status = 'failed'::text) AND enabled)");
    }
  }

  @Test
  void treatsNullAndEmptyMachineNamesAsOneMonitorLikeTheSpec() throws Exception {
    try (Connection connection = connect(TestPostgres.newDatabase("changelog_unique"));
        Statement statement = connection.createStatement()) {
      migrate(connection);
      statement.execute(
          "INSERT INTO task_monitors (task_key, task_name, kind, machine_name)"
              + " VALUES ('job', 'Job', 'bat', NULL), ('job', 'Job', 'bat', 'PC-01')");
      assertThatThrownBy(
              () ->
                  statement.execute(
                      "INSERT INTO task_monitors (task_key, task_name, kind, machine_name)"
                          + " VALUES ('job', 'Job', 'bat', '')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("idx_task_monitors_unique");
    }
  }

  @Test
  void upgradesADatabaseCreatedByTheSpecsOwnMigrationAndKeepsItsRows() throws Exception {
    try (Connection connection = connect(TestPostgres.newDatabase("changelog_legacy"));
        Statement statement = connection.createStatement()) {
      statement.execute(
          """
          CREATE TABLE public.task_monitors (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(), task_key TEXT NOT NULL,
            task_name TEXT NOT NULL, kind TEXT NOT NULL, machine_name TEXT NULL,
            enabled BOOLEAN NOT NULL DEFAULT true, last_status TEXT NULL,
            last_started_at TIMESTAMPTZ NULL, last_finished_at TIMESTAMPTZ NULL,
            last_exit_code INT NULL, last_message TEXT NULL, last_log_url TEXT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
          CREATE UNIQUE INDEX idx_task_monitors_unique
            ON public.task_monitors(task_key, kind, COALESCE(machine_name, ''));
          CREATE TABLE public.task_monitor_runs (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            monitor_id UUID NOT NULL REFERENCES task_monitors(id) ON DELETE CASCADE,
            status TEXT NOT NULL, started_at TIMESTAMPTZ NULL, finished_at TIMESTAMPTZ NULL,
            duration_ms INT NULL, exit_code INT NULL, message TEXT NULL, log_url TEXT NULL,
            raw JSONB NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
          CREATE INDEX idx_task_monitor_runs_monitor_id ON task_monitor_runs(monitor_id, created_at DESC);
          INSERT INTO task_monitors (task_key, task_name, kind, last_status)
            VALUES ('legacy', '旧タスク', 'python', 'failed');
          INSERT INTO task_monitor_runs (monitor_id, status) SELECT id, 'failed' FROM task_monitors;
          """);

      migrate(connection);
      migrate(connection); // a second start applies nothing and fails nothing

      try (ResultSet rows =
          statement.executeQuery(
              "SELECT m.task_name, m.failure_streak, r.report_id FROM task_monitors m"
                  + " JOIN task_monitor_runs r ON r.monitor_id = m.id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("旧タスク");
        assertThat(rows.getInt(2)).isZero();
        assertThat(rows.getObject(3)).isNull();
      }
    }
  }
}
