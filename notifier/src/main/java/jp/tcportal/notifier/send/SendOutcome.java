package jp.tcportal.notifier.send;

import java.time.Duration;

/**
 * What one attempt came to.
 *
 * @param retryAfter the target's {@code Retry-After}, for {@link Result#RETRY} (null if none)
 */
public record SendOutcome(Result result, String detail, Duration retryAfter) {

  public enum Result {
    /** The target took it. */
    SENT,
    /** Worth another try later: network error, timeout, 408, 429, 5xx. */
    RETRY,
    /** This message will never be taken (for example a 400); the channel itself is fine. */
    REJECTED,
    /** The target is gone or refuses us for good; the channel is disabled with the detail. */
    DISABLE
  }

  public static SendOutcome sent() {
    return new SendOutcome(Result.SENT, null, null);
  }

  public static SendOutcome retry(String detail, Duration retryAfter) {
    return new SendOutcome(Result.RETRY, detail, retryAfter);
  }

  public static SendOutcome rejected(String detail) {
    return new SendOutcome(Result.REJECTED, detail, null);
  }

  public static SendOutcome disable(String detail) {
    return new SendOutcome(Result.DISABLE, detail, null);
  }
}
