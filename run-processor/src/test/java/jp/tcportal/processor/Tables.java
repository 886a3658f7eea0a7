package jp.tcportal.processor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads the spec's tables the way the incidents page would. */
final class Tables {

  private final JdbcTemplate jdbc;

  Tables(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Map<String, Object>> monitor(String taskKey, String kind, String machineName) {
    return jdbc
        .queryForList(
            "SELECT * FROM task_monitors WHERE task_key = ? AND kind = ?"
                + " AND COALESCE(machine_name, '') = COALESCE(?, '')",
            taskKey,
            kind,
            machineName)
        .stream()
        .findFirst();
  }

  List<Map<String, Object>> monitors(String taskKey) {
    return jdbc.queryForList(
        "SELECT * FROM task_monitors WHERE task_key = ? ORDER BY machine_name NULLS FIRST",
        taskKey);
  }

  List<Map<String, Object>> runsOf(UUID monitorId) {
    return jdbc.queryForList(
        "SELECT *, raw::text AS raw_text FROM task_monitor_runs WHERE monitor_id = ?"
            + " ORDER BY finished_at NULLS FIRST",
        monitorId);
  }

  List<Map<String, Object>> runsWithReport(UUID reportId) {
    return jdbc.queryForList(
        "SELECT *, raw::text AS raw_text FROM task_monitor_runs WHERE report_id = ?", reportId);
  }

  int runCount(String taskKey) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM task_monitor_runs r JOIN task_monitors m ON m.id = r.monitor_id"
            + " WHERE m.task_key = ?",
        Integer.class,
        taskKey);
  }
}
