package jp.tcportal.processor.ingest;

import java.sql.SQLException;

/**
 * Tells a record's bad data from an outage. SQLState class 22 (data exception) and 23 (integrity
 * constraint violation) belong to the rows being written; anything else (no connection, admin
 * shutdown, serialization failure) is the database's condition and is retried without end.
 */
final class DataProblems {

  private DataProblems() {}

  static boolean isCausedByRecordData(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        return state.startsWith("22") || state.startsWith("23");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The database's own words, for the dead-letter header. */
  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return "PostgreSQL refused the record (SQLState "
            + sql.getSQLState()
            + "): "
            + sql.getMessage();
      }
    }
    return String.valueOf(failure.getMessage());
  }
}
