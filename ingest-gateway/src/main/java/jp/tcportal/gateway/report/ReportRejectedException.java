package jp.tcportal.gateway.report;

/** A report refused for a named reason; the message is what the client reads, word for word. */
final class ReportRejectedException extends RuntimeException {

  private final Rejection rejection;

  ReportRejectedException(Rejection rejection, String message) {
    // Rejections are ordinary answers: no stack trace to fill, none to leak.
    super(message, null, false, false);
    this.rejection = rejection;
  }

  Rejection rejection() {
    return rejection;
  }
}
