package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The expected runs of one schedule, in increasing order of {@link Slot#at()}, each instant once.
 * Deadlines ({@link Slot#deadline}) increase in the same order. Cron searches look {@link
 * ScheduleLimits#CRON_SEARCH_YEARS} years ahead or back and report no slot beyond that.
 */
public abstract class SlotSequence {

  /** The sequence of a monitor without a schedule: no slot, no deadline. */
  public static final SlotSequence EMPTY =
      new SlotSequence() {
        @Override
        public Optional<Slot> next(Instant after) {
          return Optional.empty();
        }

        @Override
        public Optional<Slot> previous(Instant before) {
          return Optional.empty();
        }
      };

  SlotSequence() {}

  /** The first slot whose instant is strictly after {@code after}. */
  public abstract Optional<Slot> next(Instant after);

  /** The last slot whose instant is strictly before {@code before}. */
  public abstract Optional<Slot> previous(Instant before);

  /** The slots whose instant lies in [from, to), in order; lazy. */
  public Stream<Slot> between(Instant from, Instant to) {
    return Stream.iterate(
        next(from.minusNanos(1)).orElse(null),
        slot -> slot != null && slot.at().isBefore(to),
        slot -> next(slot.at()).orElse(null));
  }

  /** The first slot whose deadline is strictly after {@code t}: the slot of the next deadline. */
  public Optional<Slot> firstDueAfter(Instant t, Duration grace) {
    Instant lastAtAfter = t.minus(grace);
    Optional<Slot> slot = next(earliestStartOfSlotEndingAfter(lastAtAfter).minusNanos(1));
    while (slot.isPresent() && !slot.get().lastAt().isAfter(lastAtAfter)) {
      slot = next(slot.get().at());
    }
    return slot;
  }

  /** The monitor's next deadline after {@code t}. */
  public Optional<Instant> nextDeadlineAfter(Instant t, Duration grace) {
    return firstDueAfter(t, grace).map(slot -> slot.deadline(grace));
  }

  /**
   * The earliest slot whose window [at − early margin, lastAt + grace] contains {@code runStart},
   * or empty for a run outside every window (a manual run: stored, but it moves no deadline). When
   * the windows of consecutive slots overlap (a short interval with a long grace), which of them a
   * run fills is the caller's choice; the earliest still unfilled one is the natural rule, and this
   * is where that search starts.
   */
  public Optional<Slot> earliestSlotFilledBy(
      Instant runStart, Duration earlyMargin, Duration grace) {
    return firstDueAfter(runStart.minusNanos(1), grace)
        .filter(slot -> slot.isFilledBy(runStart, earlyMargin, grace));
  }

  /**
   * The slots whose deadline lies in (after, upTo], in order: what a tick that moves the clock from
   * {@code after} to {@code upTo} must check, so skipped ticks are evaluated in order and each slot
   * exactly once. Lazy, so a long outage with an every-minute cron costs nothing until consumed.
   */
  public Stream<Slot> dueBetween(Instant after, Instant upTo, Duration grace) {
    return Stream.iterate(
        firstDueAfter(after, grace).orElse(null),
        slot -> slot != null && !slot.deadline(grace).isAfter(upTo),
        slot -> next(slot.at()).orElse(null));
  }

  /**
   * A lower bound of {@code at} over the slots whose {@code lastAt} is after {@code t}. Only a slot
   * repeated in a DST overlap has {@code lastAt} after {@code at}, so this is {@code t} unless
   * {@code t} lies near an overlap.
   */
  Instant earliestStartOfSlotEndingAfter(Instant t) {
    return t;
  }
}
