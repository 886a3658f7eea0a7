package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A monitor's schedule settings, as {@code PATCH /api/v1/monitors/{id}} accepts them: when runs are
 * expected, how late they may be, how long one may run, and how many outcomes in a row open or
 * resolve an incident. Constructing one validates it; {@link #DEFAULT} is what a monitor has until
 * an admin sets something, and keeps the spec's behaviour (no schedule, thresholds 1 and 1).
 *
 * @param grace how long after a slot a run may still start ({@code grace_seconds})
 * @param maxRuntime how long a started run may stay open before it is hung, or null for no limit
 *     ({@code max_runtime_seconds})
 */
public record MonitorSchedule(
    Schedule schedule,
    Duration grace,
    Duration maxRuntime,
    int failureThreshold,
    int recoveryThreshold) {

  public static final String GRACE_FIELD = "grace_seconds";
  public static final String MAX_RUNTIME_FIELD = "max_runtime_seconds";
  public static final String FAILURE_THRESHOLD_FIELD = "failure_threshold";
  public static final String RECOVERY_THRESHOLD_FIELD = "recovery_threshold";

  public static final MonitorSchedule DEFAULT =
      new MonitorSchedule(
          Schedule.NONE,
          Duration.ofSeconds(ScheduleLimits.DEFAULT_GRACE_SECONDS),
          null,
          ScheduleLimits.DEFAULT_THRESHOLD,
          ScheduleLimits.DEFAULT_THRESHOLD);

  public MonitorSchedule {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(grace, "grace");
    requireWholeSecondsInRange(
        GRACE_FIELD,
        grace,
        ScheduleLimits.MIN_GRACE_SECONDS,
        ScheduleLimits.MAX_GRACE_SECONDS,
        graceRange());
    if (maxRuntime != null) {
      requireWholeSecondsInRange(
          MAX_RUNTIME_FIELD,
          maxRuntime,
          ScheduleLimits.MIN_MAX_RUNTIME_SECONDS,
          ScheduleLimits.MAX_MAX_RUNTIME_SECONDS,
          maxRuntimeRange());
    }
    ScheduleLimits.requireInRange(
        FAILURE_THRESHOLD_FIELD,
        failureThreshold,
        ScheduleLimits.MIN_THRESHOLD,
        ScheduleLimits.MAX_THRESHOLD);
    ScheduleLimits.requireInRange(
        RECOVERY_THRESHOLD_FIELD,
        recoveryThreshold,
        ScheduleLimits.MIN_THRESHOLD,
        ScheduleLimits.MAX_THRESHOLD);
  }

  /**
   * Validates the API's values; null grace or thresholds take their defaults, a null max runtime is
   * off.
   *
   * @throws InvalidScheduleException naming the first field out of range
   */
  public static MonitorSchedule of(
      Schedule schedule,
      Long graceSeconds,
      Long maxRuntimeSeconds,
      Long failureThreshold,
      Long recoveryThreshold) {
    long grace = graceSeconds == null ? ScheduleLimits.DEFAULT_GRACE_SECONDS : graceSeconds;
    ScheduleLimits.requireInRange(
        GRACE_FIELD, grace, ScheduleLimits.MIN_GRACE_SECONDS, ScheduleLimits.MAX_GRACE_SECONDS);
    if (maxRuntimeSeconds != null
        && (maxRuntimeSeconds < ScheduleLimits.MIN_MAX_RUNTIME_SECONDS
            || maxRuntimeSeconds > ScheduleLimits.MAX_MAX_RUNTIME_SECONDS)) {
      throw new InvalidScheduleException(MAX_RUNTIME_FIELD, maxRuntimeRange());
    }
    return new MonitorSchedule(
        schedule == null ? Schedule.NONE : schedule,
        Duration.ofSeconds(grace),
        maxRuntimeSeconds == null ? null : Duration.ofSeconds(maxRuntimeSeconds),
        threshold(FAILURE_THRESHOLD_FIELD, failureThreshold),
        threshold(RECOVERY_THRESHOLD_FIELD, recoveryThreshold));
  }

  private static int threshold(String field, Long value) {
    if (value == null) {
      return ScheduleLimits.DEFAULT_THRESHOLD;
    }
    return (int)
        ScheduleLimits.requireInRange(
            field, value, ScheduleLimits.MIN_THRESHOLD, ScheduleLimits.MAX_THRESHOLD);
  }

  private static void requireWholeSecondsInRange(
      String field, Duration value, long min, long max, String message) {
    if (value.getNano() != 0 || value.getSeconds() < min || value.getSeconds() > max) {
      throw new InvalidScheduleException(field, message);
    }
  }

  /** The 400 message for a grace out of range or not an integer. */
  public static String graceRange() {
    return ScheduleLimits.integerRange(
        GRACE_FIELD, ScheduleLimits.MIN_GRACE_SECONDS, ScheduleLimits.MAX_GRACE_SECONDS);
  }

  /** The 400 message for a max runtime out of range or not an integer. */
  public static String maxRuntimeRange() {
    return MAX_RUNTIME_FIELD
        + " must be null (no limit) or an integer from "
        + ScheduleLimits.MIN_MAX_RUNTIME_SECONDS
        + " to "
        + ScheduleLimits.MAX_MAX_RUNTIME_SECONDS;
  }

  /** The 400 message for a threshold out of range or not an integer. */
  public static String thresholdRange(String field) {
    return ScheduleLimits.integerRange(
        field, ScheduleLimits.MIN_THRESHOLD, ScheduleLimits.MAX_THRESHOLD);
  }

  /** The API's {@code grace_seconds}. */
  public long graceSeconds() {
    return grace.getSeconds();
  }

  /** The API's {@code max_runtime_seconds}, or null when off. */
  public Long maxRuntimeSeconds() {
    return maxRuntime == null ? null : maxRuntime.getSeconds();
  }

  /** The expected runs; see {@link Schedule#slots(Instant)} for the anchor. */
  public SlotSequence slots(Instant anchor) {
    return schedule.slots(anchor);
  }

  /**
   * The next deadline after {@code t}: the first slot whose (later occurrence +) grace is after it.
   */
  public Optional<Instant> nextDeadlineAfter(Instant anchor, Instant t) {
    return slots(anchor).nextDeadlineAfter(t, grace);
  }

  /** When a run started at {@code runStart} and still open becomes hung; empty when off. */
  public Optional<Instant> hungAt(Instant runStart) {
    return maxRuntime == null ? Optional.empty() : Optional.of(runStart.plus(maxRuntime));
  }
}
