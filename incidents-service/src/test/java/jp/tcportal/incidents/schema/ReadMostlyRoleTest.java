package jp.tcportal.incidents.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import jp.tcportal.incidents.MonitorRows;
import jp.tcportal.incidents.TestDatabases;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The production set-up: the owner migrated the schema, the service connects with a role that has
 * exactly the grants of {@code docs/sql/incidents-read-mostly-role.sql} and does not migrate.
 */
@SpringBootTest(
    properties = {
      "tcportal.incidents.migrate=false",
      "tcportal.incidents.schema-wait=30s",
      "tcportal.incidents.admin-password=read-mostly-admin"
    })
@AutoConfigureMockMvc
class ReadMostlyRoleTest {

  static final Path GRANTS = Path.of("..", "docs", "sql", "incidents-read-mostly-role.sql");
  static final String ROLE = "tcportal_incidents";
  static final String ROLE_PASSWORD = "reader-secret";

  static String url;
  static UUID failing;

  @DynamicPropertySource
  static void readMostlyDatabase(DynamicPropertyRegistry registry) throws Exception {
    url = TestPostgres.newDatabase("read_mostly");
    TestDatabases.migrate(url);
    DataSource owner = TestDatabases.dataSource(url, TestPostgres.USER, TestPostgres.PASSWORD);
    try (Connection connection = owner.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + ROLE
              + "') THEN CREATE ROLE "
              + ROLE
              + " LOGIN PASSWORD '"
              + ROLE_PASSWORD
              + "'; END IF; END $$");
      ScriptUtils.executeSqlScript(connection, new FileSystemResource(GRANTS));
    }
    failing =
        new MonitorRows(new JdbcTemplate(owner))
            .monitor("nightly_import", "ナイトリー取込", "bat", "PC-01", "failed", Instant.now(), 1, "x");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> ROLE);
    registry.add("spring.datasource.password", () -> ROLE_PASSWORD);
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate readerJdbc;

  @Test
  void grantsScriptIsWhereTheDocsSayItIs() {
    assertThat(Files.isRegularFile(GRANTS)).isTrue();
  }

  @Test
  void servesEveryQueryAndThePatchWithOnlyTheGrantedPrivileges() throws Exception {
    var admin = httpBasic("admin", "read-mostly-admin");
    mvc.perform(get("/api/v1/incidents").with(admin))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[0].id").value(failing.toString()));
    mvc.perform(get("/api/v1/incidents/badge").with(admin)).andExpect(jsonPath("$.count").value(1));
    mvc.perform(get("/api/v1/monitors/" + failing).with(admin)).andExpect(status().isOk());
    mvc.perform(get("/api/v1/monitors/" + failing + "/runs").with(admin))
        .andExpect(status().isOk());
    // Pages use the session login, not Basic; the page's queries are what matter here.
    mvc.perform(get("/incidents").with(user("admin").roles("VIEWER", "ADMIN")))
        .andExpect(status().isOk());

    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(admin)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isOk());

    assertThat(
            readerJdbc.queryForObject(
                "SELECT enabled FROM task_monitors WHERE id = ?", Boolean.class, failing))
        .isFalse();
    mvc.perform(get("/api/v1/incidents/badge").with(admin)).andExpect(jsonPath("$.count").value(0));

    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(admin)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"schedule\": {\"type\": \"cron\", \"cron\": \"30 2 * * *\","
                        + " \"time_zone\": \"Tokyo Standard Time\"}, \"grace_seconds\": 900,"
                        + " \"max_runtime_seconds\": 7200, \"failure_threshold\": 3,"
                        + " \"recovery_threshold\": 2}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.schedule.time_zone").value("Asia/Tokyo"))
        .andExpect(jsonPath("$.failure_threshold").value(3));
    assertThat(
            readerJdbc.queryForObject(
                "SELECT schedule_cron FROM task_monitors WHERE id = ?", String.class, failing))
        .isEqualTo("30 2 * * *");
  }

  @Test
  void mayUpdateExactlyEnabledTheChangeMarkerAndTheScheduleSettingsOfAMonitor() {
    assertThat(
            readerJdbc.queryForList(
                "SELECT column_name FROM information_schema.column_privileges"
                    + " WHERE table_schema = 'public' AND table_name = 'task_monitors'"
                    + " AND grantee = ? AND privilege_type = 'UPDATE'",
                String.class,
                ROLE))
        .containsExactlyInAnyOrder(
            "enabled",
            "updated_at",
            "schedule_type",
            "schedule_interval_seconds",
            "schedule_cron",
            "schedule_time_zone",
            "grace_seconds",
            "max_runtime_seconds",
            "failure_threshold",
            "recovery_threshold");
    assertThatThrownBy(
            () ->
                readerJdbc.update(
                    "UPDATE task_monitors SET failure_streak = 0, task_name = 'x' WHERE id = ?",
                    failing))
        .rootCause()
        .hasMessageContaining("permission denied");
  }

  @Test
  void theTableRefusesSettingsOutOfTheirRangesWhoeverWritesThem() {
    assertThatThrownBy(
            () ->
                readerJdbc.update(
                    "UPDATE task_monitors SET grace_seconds = 10 WHERE id = ?", failing))
        .rootCause()
        .hasMessageContaining("task_monitors_schedule_settings_check");
    assertThatThrownBy(
            () ->
                readerJdbc.update(
                    "UPDATE task_monitors SET schedule_type = 'cron' WHERE id = ?", failing))
        .rootCause()
        .hasMessageContaining("task_monitors_schedule_settings_check");
  }

  @Test
  void cannotInsertRunsOrChangeWhatTheProcessorOwns() {
    assertThatThrownBy(
            () ->
                readerJdbc.update(
                    "INSERT INTO task_monitor_runs (monitor_id, status) VALUES (?, 'success')",
                    failing))
        .hasRootCauseInstanceOf(SQLException.class)
        .rootCause()
        .hasMessageContaining("permission denied");
    assertThatThrownBy(
            () ->
                readerJdbc.update(
                    "UPDATE task_monitors SET last_status = 'success' WHERE id = ?", failing))
        .rootCause()
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> readerJdbc.update("DELETE FROM task_monitors"))
        .rootCause()
        .hasMessageContaining("permission denied");
  }

  @Test
  void connectsAsTheReadMostlyRole() {
    assertThat(readerJdbc.queryForObject("SELECT current_user", String.class)).isEqualTo(ROLE);
  }
}
