package jp.tcportal.schema.report;

/** A report that breaks the contract; the message is what the client is told, word for word. */
public final class InvalidReportException extends RuntimeException {

  private final Reason reason;

  public InvalidReportException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Why a report was refused, for metrics and dead-letter headers. */
  public enum Reason {
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    INVALID_VALUE,
    TOO_LONG
  }
}
