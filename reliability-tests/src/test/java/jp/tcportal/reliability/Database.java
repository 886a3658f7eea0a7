package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

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
import jp.tcportal.schema.identity.ReportIdentity;
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
            statement.executeQuery("SELECT * FROM task_monitor_runs")) {
      boolean hasMonitorId = rows.getMetaData().getColumnCount() > 2;
      while (rows.next()) {
        UUID reportId = rows.getObject("report_id", UUID.class);
        UUID monitorId = hasMonitorId ? rows.getObject("monitor_id", UUID.class) : null;
        String message = rows.getString("message");
        runsPerReportId.merge(reportId, 1, Integer::sum);
        runsPerMarker.merge(String.valueOf(message), 1, Integer::sum);
        UUID key = clientKey(reportId, monitorId, message);
        if (key == null || !ledger.sentKeys().contains(key)) {
          unexpected++;
        } else {
          stored.add(key);
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
   * The Idempotency-Key a stored run was sent with: the one its message carries, if its report_id
   * is the id the gateway derives from that key and the run's monitor (a table without monitor_id,
   * as the audit's own tests plant, stores the key itself); otherwise null.
   */
  private static UUID clientKey(UUID reportId, UUID monitorId, String message) {
    if (reportId == null || message == null || !message.startsWith(LoadGenerator.MARKER)) {
      return null;
    }
    UUID key;
    try {
      key = UUID.fromString(message.substring(LoadGenerator.MARKER.length()));
    } catch (IllegalArgumentException notAKey) {
      return null;
    }
    UUID expected = monitorId == null ? key : ReportIdentity.reportId(monitorId, key);
    return reportId.equals(expected) ? key : null;
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
