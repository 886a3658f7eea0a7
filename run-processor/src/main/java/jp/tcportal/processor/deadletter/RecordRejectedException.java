package jp.tcportal.processor.deadletter;

/**
 * Why a record went to the dead-letter topic instead of the database. The reason travels in the
 * {@value DeadLetters#REASON_HEADER} header, the message in Spring's {@code
 * kafka_dlt-exception-message}.
 */
public final class RecordRejectedException extends RuntimeException {

  private final Reason reason;

  public RecordRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The reasons, as they appear in the header and in the dead-letter metric. */
  public enum Reason {
    /** The bytes are not a RunReported event (bad JSON, wrong shape, empty value). */
    UNREADABLE,
    /** The event was read but breaks the report contract or the event's own rules. */
    INVALID_EVENT,
    /** PostgreSQL refused the record's data (SQLState class 22 or 23) although it looked valid. */
    REFUSED_BY_DATABASE
  }
}
