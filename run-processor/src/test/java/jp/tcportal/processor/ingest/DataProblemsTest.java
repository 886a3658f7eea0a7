package jp.tcportal.processor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class DataProblemsTest {

  @Test
  void aDataExceptionBelongsToTheRecord() {
    SQLException nul = new SQLException("unsupported Unicode escape sequence", "22P05");

    assertThat(DataProblems.isCausedByRecordData(new DataIntegrityViolationException("x", nul)))
        .isTrue();
    assertThat(DataProblems.describe(nul)).contains("SQLState 22P05");
  }

  @Test
  void anIntegrityViolationBelongsToTheRecord() {
    SQLException duplicate = new SQLException("duplicate key", "23505");

    assertThat(DataProblems.isCausedByRecordData(new RuntimeException(duplicate))).isTrue();
  }

  @Test
  void aLostConnectionIsAnOutage() {
    SQLException refused = new SQLException("Connection refused", "08001");

    assertThat(
            DataProblems.isCausedByRecordData(
                new CannotCreateTransactionException(
                    "no connection", new CannotGetJdbcConnectionException("x", refused))))
        .isFalse();
  }

  @Test
  void anAdminShutdownOrADeadlockIsNotTheRecordsFault() {
    assertThat(DataProblems.isCausedByRecordData(new SQLException("terminating", "57P01")))
        .isFalse();
    assertThat(DataProblems.isCausedByRecordData(new SQLException("deadlock", "40P01"))).isFalse();
  }

  @Test
  void aFailureWithoutSqlStateIsAnOutage() {
    assertThat(DataProblems.isCausedByRecordData(new IllegalStateException("timeout"))).isFalse();
  }
}
