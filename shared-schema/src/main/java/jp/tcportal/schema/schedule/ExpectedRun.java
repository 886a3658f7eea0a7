package jp.tcportal.schema.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One line of the settings form's preview.
 *
 * @param at the instant the run is expected
 * @param localDateTime the wall-clock time at {@code at} in the schedule's zone (03:30 for a 02:30
 *     slot moved by a spring-forward gap)
 * @param offset the zone's offset at {@code at}
 * @param dst what daylight saving time did to the slot, for a note beside it
 */
public record ExpectedRun(
    Instant at, LocalDateTime localDateTime, ZoneOffset offset, Slot.Dst dst) {

  static ExpectedRun of(Slot slot, ZoneId zone) {
    ZoneOffset offset = zone.getRules().getOffset(slot.at());
    return new ExpectedRun(
        slot.at(), LocalDateTime.ofInstant(slot.at(), offset), offset, slot.dst());
  }
}
