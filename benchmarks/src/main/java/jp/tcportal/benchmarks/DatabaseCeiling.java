package jp.tcportal.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

/**
 * The database ceiling: plain JDBC batched inserts (rewritten into multi-row inserts by the driver)
 * of rows shaped like runs, into a copy of {@code task_monitor_runs} with its indexes, 500 rows per
 * transaction as the processor batches. No upsert of the monitor, no outbox: only the cost of
 * getting run rows in.
 */
final class DatabaseCeiling {

  private static final String TABLE = "benchmark_ceiling_runs";

  private DatabaseCeiling() {}

  /** Rows committed per second. */
  static double measure(String jdbcUrl, String user, String password, int rows)
      throws SQLException {
    try (Connection connection =
        DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", user, password)) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("DROP TABLE IF EXISTS " + TABLE);
        ddl.execute(
            "CREATE TABLE "
                + TABLE
                + " (LIKE task_monitor_runs INCLUDING DEFAULTS INCLUDING INDEXES)");
      }
      connection.setAutoCommit(false);
      insert(connection, rows / 10); // warm-up
      long start = System.nanoTime();
      insert(connection, rows);
      double perSecond = rows / ((System.nanoTime() - start) / 1e9);
      connection.setAutoCommit(true);
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("DROP TABLE " + TABLE);
      }
      return perSecond;
    }
  }

  private static void insert(Connection connection, int rows) throws SQLException {
    String sql =
        "INSERT INTO "
            + TABLE
            + " (id, monitor_id, status, started_at, finished_at, duration_ms, exit_code, message,"
            + " log_url, raw, created_at, report_id, received_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int i = 0; i < rows; i++) {
        String taskKey = Reports.taskKey(i % 10_000);
        String body = Reports.body(taskKey, i);
        Instant now = Instant.now();
        boolean failed = i % 5 == 0;
        insert.setObject(1, UUID.randomUUID());
        insert.setObject(2, Reports.monitorId(taskKey));
        insert.setString(3, failed ? "failed" : "success");
        insert.setTimestamp(4, Timestamp.from(now.minusMillis(1500)));
        insert.setTimestamp(5, Timestamp.from(now));
        insert.setInt(6, 1500);
        insert.setInt(7, failed ? 1 : 0);
        insert.setString(8, failed ? "ERROR: 取込ファイルが見つかりません" : "OK");
        insert.setNull(9, Types.VARCHAR);
        insert.setString(10, body);
        insert.setTimestamp(11, Timestamp.from(now));
        insert.setObject(12, UUID.randomUUID());
        insert.setTimestamp(13, Timestamp.from(now));
        insert.addBatch();
        if ((i + 1) % 500 == 0 || i == rows - 1) {
          insert.executeBatch();
          connection.commit();
        }
      }
    }
  }
}
