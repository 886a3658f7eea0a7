package jp.tcportal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker is checked: each kind of broken promise, planted by hand, is counted by the audit.
 * Runs in the normal build (no profile), since a blind audit would make every scenario pass.
 */
class DatabaseAuditTest {

  private final Ledger ledger = new Ledger();
  private String jdbcUrl;

  @BeforeEach
  void createRunsTable() throws SQLException {
    jdbcUrl = TestPostgres.newDatabase("audit");
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      // The two columns the audit reads, without the unique index, so a duplicate can be planted.
      statement.execute("CREATE TABLE task_monitor_runs (report_id UUID, message TEXT)");
    }
  }

  @Test
  void countsNothingWhenEveryAcknowledgedReportIsStoredOnce() throws SQLException {
    UUID key = acknowledged();
    store(key, LoadGenerator.MARKER + key);

    assertThat(new Database(jdbcUrl).audit(ledger)).isEqualTo(new Database.Audit(1, 0, 0, 0));
  }

  @Test
  void countsAnAcknowledgedReportThatIsNotStoredAsLost() throws SQLException {
    acknowledged();

    assertThat(new Database(jdbcUrl).audit(ledger).lost()).isEqualTo(1);
  }

  @Test
  void countsAReportStoredTwiceUnderAnotherReportIdAsDuplicated() throws SQLException {
    UUID key = acknowledged();
    store(key, LoadGenerator.MARKER + key);
    store(UUID.randomUUID(), LoadGenerator.MARKER + key);

    Database.Audit audit = new Database(jdbcUrl).audit(ledger);

    assertThat(audit.duplicated()).isEqualTo(1);
    assertThat(audit.unexpected()).as("the second run's report_id was never sent").isEqualTo(1);
  }

  @Test
  void countsARunNoClientSentAndARunWithAnotherReportsBodyAsUnexpected() throws SQLException {
    UUID key = acknowledged();
    UUID other = acknowledged();
    store(key, LoadGenerator.MARKER + other);
    store(other, LoadGenerator.MARKER + other);
    UUID stranger = UUID.randomUUID();
    store(stranger, LoadGenerator.MARKER + stranger);

    Database.Audit audit = new Database(jdbcUrl).audit(ledger);

    assertThat(audit.unexpected()).isEqualTo(2);
    assertThat(audit.lost()).isZero();
  }

  @Test
  void countsSpooledReportsStoredAnywayAmongGivenKeys() throws SQLException {
    UUID stored = UUID.randomUUID();
    store(stored, LoadGenerator.MARKER + stored);

    assertThat(new Database(jdbcUrl).storedAmong(java.util.Set.of(stored, UUID.randomUUID())))
        .isEqualTo(1);
  }

  private UUID acknowledged() {
    UUID key = UUID.randomUUID();
    ledger.sent(new Ledger.Report(key, "{}"));
    ledger.acknowledged(key);
    return key;
  }

  private void store(UUID reportId, String message) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO task_monitor_runs (report_id, message) VALUES (?, ?)")) {
      insert.setObject(1, reportId);
      insert.setString(2, message);
      insert.executeUpdate();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, TestPostgres.USER, TestPostgres.PASSWORD);
  }
}
