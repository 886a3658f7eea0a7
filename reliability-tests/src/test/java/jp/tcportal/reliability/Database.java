package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.identity.ReportIdentity;
import jp.tcportal.schema.report.InvalidReportException;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.ReportParser;
import org.awaitility.core.ConditionTimeoutException;

/** What the processor stored, read straight from PostgreSQL. */
final class Database {

  private final String jdbcUrl;

  Database(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /**
   * The Jepsen-style checks of a scenario's history against the table of runs.
   *
   * @param stored reports of this scenario's clients found in {@code task_monitor_runs}
   * @param lost acknowledged (200) but not stored
   * @param duplicated reports stored more than once, by {@code report_id} or by the key each body
   *     carries in its message
   * @param unexpected stored runs no client sent, or whose body belongs to another key
   */
  record Audit(int stored, int lost, int duplicated, int unexpected) {}

  Audit audit(Ledger ledger) throws SQLException {
    Map<UUID, Integer> runsPerReportId = new HashMap<>();
    Map<String, Integer> runsPerMarker = new HashMap<>();
    Set<UUID> stored = new HashSet<>();
    int unexpected = 0;
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT report_id, message FROM task_monitor_runs")) {
      Map<UUID, UUID> keys = keysByReportId(ledger);
      while (rows.next()) {
        UUID reportId = rows.getObject("report_id", UUID.class);
        String message = rows.getString("message");
        runsPerReportId.merge(reportId, 1, Integer::sum);
        runsPerMarker.merge(String.valueOf(message), 1, Integer::sum);
        UUID key = reportId == null ? null : keys.get(reportId);
        if (key != null) {
          stored.add(key);
        }
        if (key == null || !(LoadGenerator.MARKER + key).equals(message)) {
          unexpected++;
        }
      }
    }
    Set<String> duplicatedKeys = new HashSet<>();
    runsPerReportId.forEach(
        (reportId, runs) -> {
          if (runs > 1) {
            duplicatedKeys.add(String.valueOf(reportId));
          }
        });
    runsPerMarker.forEach(
        (marker, runs) -> {
          if (runs > 1) {
            duplicatedKeys.add(marker.replace(LoadGenerator.MARKER, ""));
          }
        });
    int lost =
        (int) ledger.acknowledgedKeys().stream().filter(key -> !stored.contains(key)).count();
    return new Audit(stored.size(), lost, duplicatedKeys.size(), unexpected);
  }

  /**
   * Each sent report's Idempotency-Key by the report_id the gateway stores it under: a name-based
   * id of the report's monitor and the key. The key itself maps too, for tables planted by the
   * audit's own tests.
   */
  private static Map<UUID, UUID> keysByReportId(Ledger ledger) {
    Map<UUID, UUID> keys = new HashMap<>();
    for (Ledger.Report report : ledger.sentReports()) {
      keys.put(report.key(), report.key());
      try {
        MonitorReport parsed =
            ReportParser.parse(report.body().getBytes(StandardCharsets.UTF_8)).report();
        UUID monitorId =
            MonitorIdentity.monitorId(parsed.taskKey(), parsed.kind(), parsed.machineName());
        keys.put(ReportIdentity.reportId(monitorId, report.key()), report.key());
      } catch (InvalidReportException notAReport) {
        // A planted body: only the key itself names it.
      }
    }
    return keys;
  }

  long runCount() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM task_monitor_runs")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return 0; // the processor has not created the schema yet
      }
      throw e;
    }
  }

  /** How many of {@code keys} are stored as runs. */
  int storedAmong(Set<UUID> keys) throws SQLException {
    if (keys.isEmpty()) {
      return 0;
    }
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(DISTINCT message) FROM task_monitor_runs WHERE message = ANY(?)")) {
      // The message carries the key: report_id is derived from the key and the monitor.
      query.setArray(
          1,
          connection.createArrayOf(
              "text", keys.stream().map(key -> LoadGenerator.MARKER + key).toArray()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /**
   * Waits until another session is inside a transaction that touches the monitor tables (the
   * processor storing a batch), so a kill lands in the middle of it.
   *
   * @return whether such a transaction was seen within {@code patience}
   */
  boolean awaitBatchTransaction(Duration patience) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                    + " AND state IN ('active', 'idle in transaction')"
                    + " AND query ~* 'task_monitor'")) {
      await()
          .atMost(patience)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                try (ResultSet rows = query.executeQuery()) {
                  rows.next();
                  return rows.getInt(1) > 0;
                }
              });
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, CrashablePostgres.USER, CrashablePostgres.USER);
  }
}
