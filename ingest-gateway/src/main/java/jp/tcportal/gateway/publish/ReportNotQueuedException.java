package jp.tcportal.gateway.publish;

/**
 * The broker did not take a report, and {@link Kind} says whether the same report may succeed later
 * (broker down, slow, or the gateway too busy), never will because of the report itself (too large,
 * cannot be serialized), or never will until an operator fixes the gateway or the cluster.
 */
public final class ReportNotQueuedException extends RuntimeException {

  /** What a client should do about it; the endpoint maps each to a status. */
  public enum Kind {
    /** Transient: the client retries the same report later (503). */
    RETRY_LATER,
    /** The record is larger than the producer or the topic takes: retrying cannot help (413). */
    TOO_LARGE,
    /** This report can never be written (serialization, invalid record): retrying cannot help. */
    UNPROCESSABLE,
    /**
     * Not this report's fault and not transient (authorization, missing topic): an operator acts.
     */
    GATEWAY_FAULT
  }

  private final Kind kind;

  public ReportNotQueuedException(String message, Kind kind, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == Kind.RETRY_LATER;
  }
}
