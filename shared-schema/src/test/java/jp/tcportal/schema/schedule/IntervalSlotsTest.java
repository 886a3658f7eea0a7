package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Local times were computed with Python's zoneinfo: {@code datetime(...,
 * tzinfo=utc).astimezone(z)}.
 */
class IntervalSlotsTest {

  private static final Duration GRACE = Duration.ofSeconds(600);

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static SlotSequence every(long seconds, String zone, String anchor) {
    return Schedule.of("interval", seconds, null, zone).slots(at(anchor));
  }

  @Test
  void aDailyIntervalAcrossSpringForwardStaysTwentyFourHoursInUtc() {
    // Anchor 12:00Z = 13:00 CET; the next day 12:00Z is 14:00 CEST.
    SlotSequence slots = every(86_400, "Europe/Berlin", "2026-03-28T12:00:00Z");
    Slot slot = slots.next(at("2026-03-28T12:00:00Z")).orElseThrow();
    assertThat(slot.at()).isEqualTo(at("2026-03-29T12:00:00Z"));
    assertThat(slot.localTime()).isEqualTo(LocalDateTime.parse("2026-03-29T14:00"));
    assertThat(slot.dst()).isEqualTo(Slot.Dst.NONE);
  }

  @Test
  void anHourlyIntervalThroughTheGapSkipsNoInstant() {
    // 00:30Z = 01:30 CET, 01:30Z = 03:30 CEST, 02:30Z = 04:30 CEST.
    SlotSequence slots = every(3_600, "Europe/Berlin", "2026-03-29T00:30:00Z");
    assertThat(slots.between(at("2026-03-29T00:00:00Z"), at("2026-03-29T03:00:00Z")))
        .extracting(Slot::at, Slot::localTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                at("2026-03-29T00:30:00Z"), LocalDateTime.parse("2026-03-29T01:30")),
            org.assertj.core.groups.Tuple.tuple(
                at("2026-03-29T01:30:00Z"), LocalDateTime.parse("2026-03-29T03:30")),
            org.assertj.core.groups.Tuple.tuple(
                at("2026-03-29T02:30:00Z"), LocalDateTime.parse("2026-03-29T04:30")));
  }

  @Test
  void anHourlyIntervalThroughTheNewYorkOverlapKeepsBothOneOClocks() {
    // 05:00Z = 01:00 EDT and 06:00Z = 01:00 EST: two slots an hour apart, both at local 01:00.
    SlotSequence slots = every(3_600, "America/New_York", "2026-11-01T04:00:00Z");
    assertThat(slots.between(at("2026-11-01T05:00:00Z"), at("2026-11-01T07:00:00Z")))
        .extracting(Slot::localTime)
        .containsExactly(
            LocalDateTime.parse("2026-11-01T01:00"), LocalDateTime.parse("2026-11-01T01:00"));
  }

  @Test
  void theLatticeExtendsBothWaysFromTheAnchor() {
    SlotSequence slots = every(3_600, "Asia/Tokyo", "2026-12-06T00:00:30Z");
    assertThat(slots.next(at("2026-12-05T21:15:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-05T22:00:30Z"));
    assertThat(slots.previous(at("2026-12-06T00:00:30Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-05T23:00:30Z"));
    assertThat(slots.next(at("2026-12-06T00:00:30Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-06T01:00:30Z"));
    assertThat(slots.previous(at("2026-12-06T00:00:30.000000001Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-06T00:00:30Z"));
  }

  @Test
  void deadlinesOfAnIntervalAreTheSlotPlusGrace() {
    SlotSequence slots = every(3_600, "Asia/Tokyo", "2026-12-06T00:00:00Z");
    assertThat(slots.nextDeadlineAfter(at("2026-12-06T01:05:00Z"), GRACE))
        .contains(at("2026-12-06T01:10:00Z"));
    assertThat(slots.nextDeadlineAfter(at("2026-12-06T01:10:00Z"), GRACE))
        .contains(at("2026-12-06T02:10:00Z"));
    assertThat(slots.dueBetween(at("2026-12-06T00:30:00Z"), at("2026-12-06T03:10:00Z"), GRACE))
        .extracting(Slot::at)
        .containsExactly(
            at("2026-12-06T01:00:00Z"), at("2026-12-06T02:00:00Z"), at("2026-12-06T03:00:00Z"));
  }

  @Test
  void aRunFillsTheEarliestSlotWhoseWindowHoldsItAndAManualRunFillsNone() {
    SlotSequence slots = every(3_600, "Asia/Tokyo", "2026-12-06T00:00:00Z");
    Duration early = Duration.ofMinutes(5);
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T01:03:00Z"), early, GRACE))
        .map(Slot::at)
        .contains(at("2026-12-06T01:00:00Z"));
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T00:55:00Z"), early, GRACE))
        .map(Slot::at)
        .contains(at("2026-12-06T01:00:00Z"));
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T01:10:00Z"), early, GRACE))
        .map(Slot::at)
        .contains(at("2026-12-06T01:00:00Z"));
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T00:30:00Z"), early, GRACE)).isEmpty();
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T01:10:01Z"), early, GRACE)).isEmpty();
  }

  @Test
  void whenWindowsOverlapTheEarliestSlotIsOffered() {
    // Every minute with grace 10 minutes: a run at 10:05 lies in the windows of 09:55 to 10:10.
    SlotSequence slots = Schedule.of("cron", null, "* * * * *", "UTC").slots(null);
    assertThat(slots.earliestSlotFilledBy(at("2026-12-06T10:05:00Z"), Duration.ofMinutes(5), GRACE))
        .map(Slot::at)
        .contains(at("2026-12-06T09:55:00Z"));
  }

  @Test
  void aMonitorWithoutScheduleHasNoSlotsAndNoDeadline() {
    SlotSequence slots = Schedule.NONE.slots(null);
    assertThat(slots.next(at("2026-12-06T00:00:00Z"))).isEmpty();
    assertThat(slots.nextDeadlineAfter(at("2026-12-06T00:00:00Z"), GRACE)).isEmpty();
    assertThat(slots.dueBetween(Instant.EPOCH, at("2026-12-06T00:00:00Z"), GRACE)).isEmpty();
  }
}
