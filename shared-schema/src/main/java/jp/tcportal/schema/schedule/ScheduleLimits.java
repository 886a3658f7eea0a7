package jp.tcportal.schema.schedule;

import java.time.Duration;

/**
 * The ranges of the monitor settings, in seconds. The form shows them and the API states them in
 * its 400 messages.
 */
public final class ScheduleLimits {

  public static final long MIN_INTERVAL_SECONDS = 60;
  public static final long MAX_INTERVAL_SECONDS = Duration.ofDays(31).toSeconds();

  public static final long MIN_GRACE_SECONDS = 30;
  public static final long MAX_GRACE_SECONDS = Duration.ofDays(7).toSeconds();
  public static final long DEFAULT_GRACE_SECONDS = 600;

  public static final long MIN_MAX_RUNTIME_SECONDS = 30;
  public static final long MAX_MAX_RUNTIME_SECONDS = Duration.ofDays(28).toSeconds();

  public static final int MIN_THRESHOLD = 1;
  public static final int MAX_THRESHOLD = 100;
  public static final int DEFAULT_THRESHOLD = 1;

  /**
   * How far a cron search looks ahead or back. Eight years covers the longest gap between two
   * matches of a valid expression ({@code 0 0 29 2 *}: 2096-02-29 to 2104-02-29).
   */
  public static final int CRON_SEARCH_YEARS = 8;

  /** Most runs the preview lists. */
  public static final int MAX_PREVIEW_COUNT = 100;

  private ScheduleLimits() {}

  static String integerRange(String field, long min, long max) {
    return field + " must be an integer from " + min + " to " + max;
  }

  static long requireInRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidScheduleException(field, integerRange(field, min, max));
    }
    return value;
  }
}
