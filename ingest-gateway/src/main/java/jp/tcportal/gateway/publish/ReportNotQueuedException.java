package jp.tcportal.gateway.publish;

/**
 * The broker did not take a report. {@code retryable} says whether the same report may succeed
 * later (broker down, slow, or the gateway too busy) or never will (for example too large).
 */
public final class ReportNotQueuedException extends RuntimeException {

  private final boolean retryable;

  public ReportNotQueuedException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
