package jp.tcportal.incidents.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, bounded and logged, until the changesets this service reads are recorded in {@code
 * databasechangelog}. Used when the service runs with the read-mostly role and does not migrate:
 * the owner (the processor) may still be starting.
 */
final class SchemaReadiness {

  /** The changesets whose tables, columns and indexes this service relies on. */
  static final List<String> REQUIRED_CHANGESETS =
      List.of(
          "001-spec-tables",
          "002-run-report-id",
          "002-monitor-ordering-and-streak",
          "002-badge-index",
          "002-run-history-keyset",
          "004-local-accounts",
          "004-incident-order",
          "004-change-marker",
          "007-monitor-schedule-settings");

  private static final Logger log = LoggerFactory.getLogger(SchemaReadiness.class);
  private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

  private final DataSource dataSource;
  private final Duration maxWait;

  SchemaReadiness(DataSource dataSource, Duration maxWait) {
    this.dataSource = dataSource;
    this.maxWait = maxWait;
  }

  /** Returns once the schema is there; throws when it is still missing after the maximum wait. */
  void awaitSchema() {
    long deadline = System.nanoTime() + maxWait.toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      Set<String> missing = missingChangesets();
      if (missing.isEmpty()) {
        log.info(
            "Schema ready: all {} required changesets are applied", REQUIRED_CHANGESETS.size());
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Schema not ready after "
                + maxWait
                + "; missing changesets "
                + missing
                + ". Start a service that migrates (the processor), or set"
                + " tcportal.incidents.migrate=true with the owner role.");
      }
      log.info(
          "Waiting for the schema (attempt {}): changesets {} not applied yet", attempt, missing);
      pause();
    }
  }

  Set<String> missingChangesets() {
    Set<String> missing = new HashSet<>(REQUIRED_CHANGESETS);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT id FROM databasechangelog WHERE id = ANY (?)")) {
      statement.setArray(
          1, connection.createArrayOf("text", REQUIRED_CHANGESETS.toArray(String[]::new)));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          missing.remove(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      // No changelog table yet, or the database is not up: both mean "not ready yet".
      log.debug("Schema check failed", e);
    }
    return missing;
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_EVERY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the schema", e);
    }
  }
}
