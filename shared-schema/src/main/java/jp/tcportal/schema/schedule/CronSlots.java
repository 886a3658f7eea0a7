package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;

/**
 * The slots of a cron expression in a zone. Matches are found over local date-times and then
 * resolved with the zone's rules: a local time in a gap moves forward by the gap (02:30 on a
 * spring-forward day in Europe/Berlin is 03:30 CEST = 01:30Z); a local time in an overlap is one
 * slot at its earlier occurrence that remembers the later one.
 *
 * <p>Local order and instant order agree except just after a gap: a moved slot (02:30 to 03:30) can
 * land after a real one (03:15) or on it (03:30). The searches below therefore look past the first
 * candidate until no later local time can give an earlier instant, and keep one slot per instant,
 * preferring the real local time.
 */
final class CronSlots extends SlotSequence {

  private final CronExpression cron;
  private final ZoneId zone;
  private final ZoneRules rules;

  CronSlots(CronExpression cron, ZoneId zone) {
    this.cron = cron;
    this.zone = zone;
    this.rules = zone.getRules();
  }

  @Override
  public Optional<Slot> next(Instant after) {
    LocalDateTime start = LocalDateTime.ofInstant(after, zone);
    ZoneOffsetTransition gap = rules.previousTransition(after.plusNanos(1));
    if (gap != null && gap.isGap() && after.isBefore(gap.getInstant().plus(gap.getDuration()))) {
      // Local times inside the gap (before `start`) move to instants after `after`.
      start = gap.getDateTimeBefore();
    }
    Slot best = null;
    for (LocalDateTime local = cron.firstAtOrAfter(start);
        local != null;
        local = cron.firstAtOrAfter(local.plusMinutes(1))) {
      Slot slot = resolve(local);
      if (slot.at().isAfter(after)) {
        if (best == null || slot.at().isBefore(best.at()) || sameButReal(slot, best)) {
          best = slot;
        }
        if (slot.dst() != Slot.Dst.MOVED_BY_GAP) {
          break; // every later local time resolves to this instant or a later one
        }
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public Optional<Slot> previous(Instant before) {
    LocalDateTime start = LocalDateTime.ofInstant(before, zone);
    ZoneOffsetTransition overlap = rules.previousTransition(before.plusNanos(1));
    if (overlap != null
        && overlap.isOverlap()
        && before.isBefore(overlap.getInstant().minus(overlap.getDuration()))) {
      // `before` is in the second pass: the overlap's local times up to its end resolve to their
      // first pass, which is before `before`.
      start = overlap.getDateTimeBefore();
    }
    Slot best = null;
    LocalDateTime stopBelow = null;
    for (LocalDateTime local = cron.lastAtOrBefore(start);
        local != null && (stopBelow == null || !local.isBefore(stopBelow));
        local = cron.lastAtOrBefore(local.minusMinutes(1))) {
      Slot slot = resolve(local);
      if (!slot.at().isBefore(before)) {
        continue;
      }
      if (best == null || slot.at().isAfter(best.at()) || sameButReal(slot, best)) {
        best = slot;
      }
      if (slot.dst() != Slot.Dst.MOVED_BY_GAP && stopBelow == null) {
        ZoneOffsetTransition gap = rules.previousTransition(slot.at().plusNanos(1));
        if (gap != null
            && gap.isGap()
            && slot.at().isBefore(gap.getInstant().plus(gap.getDuration()))) {
          // A real slot just after a gap: times inside the gap may resolve later than it.
          stopBelow = gap.getDateTimeBefore();
        } else {
          break;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  Instant earliestStartOfSlotEndingAfter(Instant t) {
    Instant earliest = t;
    for (ZoneOffsetTransition overlap :
        new ZoneOffsetTransition[] {
          rules.previousTransition(t.plusNanos(1)), rules.nextTransition(t)
        }) {
      if (overlap != null && overlap.isOverlap()) {
        Duration length = overlap.getDuration().negated();
        Instant firstPass = overlap.getInstant().minus(length);
        if (!t.isBefore(firstPass) && t.isBefore(overlap.getInstant().plus(length))) {
          earliest = firstPass.isBefore(earliest) ? firstPass : earliest;
        }
      }
    }
    return earliest;
  }

  /** The instant(s) of a local time that the expression matched. */
  Slot resolve(LocalDateTime local) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.size() == 1) {
      Instant at = local.toInstant(offsets.get(0));
      return new Slot(at, at, local, Slot.Dst.NONE);
    }
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(local);
      Instant at = local.plus(gap.getDuration()).toInstant(gap.getOffsetAfter());
      return new Slot(at, at, local, Slot.Dst.MOVED_BY_GAP);
    }
    Instant first = local.toInstant(offsets.get(0));
    Instant second = local.toInstant(offsets.get(1));
    return first.isBefore(second)
        ? new Slot(first, second, local, Slot.Dst.OVERLAP)
        : new Slot(second, first, local, Slot.Dst.OVERLAP);
  }

  private static boolean sameButReal(Slot candidate, Slot best) {
    return candidate.at().equals(best.at())
        && best.dst() == Slot.Dst.MOVED_BY_GAP
        && candidate.dst() != Slot.Dst.MOVED_BY_GAP;
  }
}
