package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One expected run of a schedule.
 *
 * @param at the slot's instant; for a local time that occurs twice (a DST overlap) the earlier
 *     occurrence
 * @param lastAt the later occurrence in an overlap, otherwise {@code at}; the window and the
 *     deadline run from it, so either occurrence fills the slot
 * @param localTime the local time the schedule names (for a slot moved by a DST gap, the time that
 *     did not exist, e.g. 02:30 for a slot at 03:30)
 * @param dst how daylight saving time moved or doubled the slot
 */
public record Slot(Instant at, Instant lastAt, LocalDateTime localTime, Dst dst) {

  /** What a DST change did to a slot's local time. */
  public enum Dst {
    /** The local time exists once. */
    NONE,
    /** The local time fell into a gap (clocks spring forward) and moved forward by the gap. */
    MOVED_BY_GAP,
    /** The local time occurs twice (clocks fall back); the slot is expected once. */
    OVERLAP
  }

  public Slot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(lastAt, "lastAt");
    Objects.requireNonNull(localTime, "localTime");
    Objects.requireNonNull(dst, "dst");
    if (lastAt.isBefore(at)) {
      throw new IllegalArgumentException("lastAt " + lastAt + " is before at " + at);
    }
  }

  /** When the slot counts as missed if no run filled it: the (later) occurrence plus the grace. */
  public Instant deadline(Duration grace) {
    return lastAt.plus(grace);
  }

  /**
   * Whether a run that started at {@code runStart} (server-corrected) fills the slot: it lies in
   * [slot − early margin, slot + grace], both ends included; in an overlap the window spans both
   * occurrences' windows.
   */
  public boolean isFilledBy(Instant runStart, Duration earlyMargin, Duration grace) {
    return !runStart.isBefore(at.minus(earlyMargin)) && !runStart.isAfter(deadline(grace));
  }

  /**
   * Whether a tick at {@code now} declares the slot missed when no run filled it: at the deadline
   * and after (grace 600 s on a 01:30Z slot: missed at 01:40:00Z, not at 01:39:59Z).
   */
  public boolean isDueAt(Instant now, Duration grace) {
    return !now.isBefore(deadline(grace));
  }
}
