package jp.tcportal.gateway.report;

/** A report refused for a named reason; the message is what the client reads, word for word. */
final class ReportRejectedException extends RuntimeException {

  private final Rejection rejection;
  private final long retryAfterSeconds;

  ReportRejectedException(Rejection rejection, String message) {
    this(rejection, message, 0);
  }

  /** A refusal that tells the client when to try again ({@code Retry-After}, in seconds). */
  ReportRejectedException(Rejection rejection, String message, long retryAfterSeconds) {
    // Rejections are ordinary answers: no stack trace to fill, none to leak.
    super(message, null, false, false);
    this.rejection = rejection;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  Rejection rejection() {
    return rejection;
  }

  /** Seconds for the {@code Retry-After} header, or 0 for none. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
