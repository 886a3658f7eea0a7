package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * When a monitor expects runs: {@code none}, every {@code interval}, or at the matches of a cron
 * expression, in a zone (cron slots are computed in it; the preview shows local times in it).
 *
 * @param interval set for {@link ScheduleType#INTERVAL} only
 * @param cron set for {@link ScheduleType#CRON} only
 */
public record Schedule(ScheduleType type, Duration interval, CronExpression cron, ZoneId zone) {

  static final String INTERVAL_FIELD = "schedule.interval_seconds";

  /** No schedule: the monitor only knows what its job reports, as the spec's portal did. */
  public static final Schedule NONE =
      new Schedule(ScheduleType.NONE, null, null, TimeZones.DEFAULT_ZONE);

  public Schedule {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(zone, "zone");
    if ((type == ScheduleType.INTERVAL) != (interval != null)) {
      throw new IllegalArgumentException("interval is set exactly for interval schedules");
    }
    if ((type == ScheduleType.CRON) != (cron != null)) {
      throw new IllegalArgumentException("cron is set exactly for cron schedules");
    }
    if (interval != null) {
      if (interval.getNano() != 0) {
        throw new InvalidScheduleException(INTERVAL_FIELD, intervalRange());
      }
      ScheduleLimits.requireInRange(
          INTERVAL_FIELD,
          interval.getSeconds(),
          ScheduleLimits.MIN_INTERVAL_SECONDS,
          ScheduleLimits.MAX_INTERVAL_SECONDS);
    }
  }

  /**
   * Validates the API's {@code schedule} object. Fields that the type does not use are ignored (the
   * form may send them all); a missing {@code time_zone} is {@link TimeZones#DEFAULT_ZONE}.
   *
   * @throws InvalidScheduleException naming the field and its range
   */
  public static Schedule of(String type, Long intervalSeconds, String cron, String timeZone) {
    ScheduleType scheduleType = ScheduleType.fromWireName(type);
    ZoneId zone = timeZone == null ? TimeZones.DEFAULT_ZONE : TimeZones.resolve(timeZone);
    return switch (scheduleType) {
      case NONE -> new Schedule(ScheduleType.NONE, null, null, zone);
      case INTERVAL -> {
        if (intervalSeconds == null) {
          throw new InvalidScheduleException(
              INTERVAL_FIELD,
              INTERVAL_FIELD + " is required when schedule.type is interval (" + rangeText() + ")");
        }
        ScheduleLimits.requireInRange(
            INTERVAL_FIELD,
            intervalSeconds,
            ScheduleLimits.MIN_INTERVAL_SECONDS,
            ScheduleLimits.MAX_INTERVAL_SECONDS);
        yield new Schedule(ScheduleType.INTERVAL, Duration.ofSeconds(intervalSeconds), null, zone);
      }
      case CRON -> {
        if (cron == null) {
          throw new InvalidScheduleException(
              CronExpression.FIELD,
              CronExpression.FIELD
                  + " is required when schedule.type is cron"
                  + " (5 fields: minute hour day-of-month month day-of-week)");
        }
        yield new Schedule(ScheduleType.CRON, null, CronExpression.parse(cron), zone);
      }
    };
  }

  /** The 400 message for an interval out of range or not an integer. */
  public static String intervalRange() {
    return ScheduleLimits.integerRange(
        INTERVAL_FIELD, ScheduleLimits.MIN_INTERVAL_SECONDS, ScheduleLimits.MAX_INTERVAL_SECONDS);
  }

  private static String rangeText() {
    return "an integer from "
        + ScheduleLimits.MIN_INTERVAL_SECONDS
        + " to "
        + ScheduleLimits.MAX_INTERVAL_SECONDS;
  }

  /**
   * The expected runs. {@code anchor} places an interval schedule's lattice (the first report, or
   * the arming time for a monitor that never reported; re-anchor when the monitor is enabled
   * again); cron schedules ignore it. Where to start checking (arming, enabling) is the caller's
   * choice.
   */
  public SlotSequence slots(Instant anchor) {
    return switch (type) {
      case NONE -> SlotSequence.EMPTY;
      case INTERVAL -> new IntervalSlots(Objects.requireNonNull(anchor, "anchor"), interval, zone);
      case CRON -> new CronSlots(cron, zone);
    };
  }

  /**
   * The form's preview: the next {@code count} expected runs after {@code now}, with their local
   * date-times in the schedule's zone. An interval schedule that has no anchor yet is previewed as
   * if armed at {@code now}.
   */
  public List<ExpectedRun> previewNext(Instant anchor, Instant now, int count) {
    if (count < 1 || count > ScheduleLimits.MAX_PREVIEW_COUNT) {
      throw new IllegalArgumentException(
          "count must be from 1 to " + ScheduleLimits.MAX_PREVIEW_COUNT + ": " + count);
    }
    SlotSequence slots = slots(anchor == null ? now : anchor);
    return slots
        .between(now.plusNanos(1), Instant.MAX)
        .limit(count)
        .map(slot -> ExpectedRun.of(slot, zone))
        .toList();
  }

  /** {@link #previewNext(Instant, Instant, int)} for a monitor not yet anchored. */
  public List<ExpectedRun> previewNext(Instant now, int count) {
    return previewNext(null, now, count);
  }

  /** The API's {@code interval_seconds}, or null. */
  public Long intervalSeconds() {
    return interval == null ? null : interval.getSeconds();
  }

  /** The API's {@code cron}, or null. */
  public String cronText() {
    return cron == null ? null : cron.toString();
  }

  /** The API's {@code time_zone}: the IANA id (a Windows id given on input is stored mapped). */
  public String timeZone() {
    return zone.getId();
  }
}
