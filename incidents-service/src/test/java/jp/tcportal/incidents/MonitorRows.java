package jp.tcportal.incidents;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes {@code task_monitors} and {@code task_monitor_runs} rows directly with SQL, the way the
 * run-processor does, so tests of the read side need no Kafka.
 */
public final class MonitorRows {

  private final JdbcTemplate jdbc;

  public MonitorRows(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A monitor whose last report had {@code status}, finished at {@code finishedAt}. */
  public UUID monitor(
      String taskKey,
      String taskName,
      String kind,
      String machine,
      String status,
      Instant finishedAt,
      Integer exitCode,
      String message) {
    UUID id = UUID.randomUUID();
    jdbc.update(
        """
        INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name, enabled, last_status,
          last_started_at, last_finished_at, last_exit_code, last_message, last_log_url,
          last_occurred_at, last_duration_ms, failure_streak, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
        """,
        id,
        taskKey,
        taskName,
        kind,
        machine,
        status,
        ts(finishedAt == null ? null : finishedAt.minusSeconds(90)),
        ts(finishedAt),
        exitCode,
        message,
        "C:\\Logs\\" + taskKey + ".log",
        ts(finishedAt),
        finishedAt == null ? null : 90_000,
        "failed".equals(status) ? 1 : 0);
    return id;
  }

  /** A monitor created but never reported (all last_* columns NULL). */
  public UUID unreported(String taskKey, String taskName, String kind, String machine) {
    UUID id = UUID.randomUUID();
    jdbc.update(
        "INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name) VALUES (?, ?, ?, ?, ?)",
        id,
        taskKey,
        taskName,
        kind,
        machine);
    return id;
  }

  /** A run stored at {@code createdAt}. */
  public UUID run(UUID monitorId, String status, Instant createdAt, String message) {
    UUID id = UUID.randomUUID();
    jdbc.update(
        """
        INSERT INTO task_monitor_runs (id, monitor_id, status, started_at, finished_at, duration_ms,
          exit_code, message, log_url, report_id, received_at, created_at)
        VALUES (?, ?, ?, ?, ?, 1500, ?, ?, NULL, ?, ?, ?)
        """,
        id,
        monitorId,
        status,
        ts(createdAt.minusMillis(1500)),
        ts(createdAt),
        "failed".equals(status) ? 1 : 0,
        message,
        UUID.randomUUID(),
        ts(createdAt),
        ts(createdAt));
    return id;
  }

  /** A newer report moved the monitor's state, as the processor's upsert does. */
  public void report(UUID monitorId, String status, Instant finishedAt, String message) {
    jdbc.update(
        """
        UPDATE task_monitors SET last_status = ?, last_finished_at = ?, last_occurred_at = ?,
          last_message = ?, last_exit_code = ?, failure_streak = CASE WHEN ? = 'failed'
          THEN failure_streak + 1 ELSE 0 END, updated_at = now()
        WHERE id = ?
        """,
        status,
        ts(finishedAt),
        ts(finishedAt),
        message,
        "failed".equals(status) ? 1 : 0,
        status,
        monitorId);
    run(monitorId, status, finishedAt, message);
  }

  public boolean enabled(UUID monitorId) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "SELECT enabled FROM task_monitors WHERE id = ?", Boolean.class, monitorId));
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
