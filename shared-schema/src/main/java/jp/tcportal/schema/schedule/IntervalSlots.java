package jp.tcportal.schema.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Slots every {@code interval} from an anchor (the first report or the arming time), in absolute
 * seconds: an hourly schedule stays hourly in UTC across a DST change, its local times shift.
 */
final class IntervalSlots extends SlotSequence {

  private final Instant anchor;
  private final long stepSeconds;
  private final ZoneId zone;

  IntervalSlots(Instant anchor, Duration interval, ZoneId zone) {
    this.anchor = anchor;
    this.stepSeconds = interval.toSeconds();
    this.zone = zone;
  }

  @Override
  public Optional<Slot> next(Instant after) {
    Instant candidate = atOrBefore(after);
    while (!candidate.isAfter(after)) {
      candidate = candidate.plusSeconds(stepSeconds);
    }
    return Optional.of(slot(candidate));
  }

  @Override
  public Optional<Slot> previous(Instant before) {
    Instant candidate = atOrBefore(before);
    while (!candidate.isBefore(before)) {
      candidate = candidate.minusSeconds(stepSeconds);
    }
    return Optional.of(slot(candidate));
  }

  /** The lattice point anchor + k·step at or just before {@code t}. */
  private Instant atOrBefore(Instant t) {
    // Duration.getSeconds() floors, so anchor + k·step never lies after t.
    long k = Math.floorDiv(Duration.between(anchor, t).getSeconds(), stepSeconds);
    return anchor.plusSeconds(k * stepSeconds);
  }

  private Slot slot(Instant at) {
    return new Slot(at, at, LocalDateTime.ofInstant(at, zone), Slot.Dst.NONE);
  }
}
