package jp.tcportal.schema.schedule;

/**
 * A schedule setting out of its range; the message names the field and the range and is what the
 * API answers with 400, word for word.
 */
public final class InvalidScheduleException extends RuntimeException {

  private final String field;

  public InvalidScheduleException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  /** The JSON path of the offending field, e.g. {@code grace_seconds} or {@code schedule.cron}. */
  public String field() {
    return field;
  }
}
