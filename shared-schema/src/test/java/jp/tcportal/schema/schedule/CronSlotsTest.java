package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected instants were computed outside Java with Python's zoneinfo (IANA tzdata), e.g.
 *
 * <pre>
 * python3 -c 'import zoneinfo, datetime as d; z = zoneinfo.ZoneInfo("Europe/Berlin");
 *   print(d.datetime(2026, 10, 25, 2, 30, tzinfo=z, fold=0).astimezone(d.timezone.utc),
 *         d.datetime(2026, 10, 25, 2, 30, tzinfo=z, fold=1).astimezone(d.timezone.utc))'
 * </pre>
 *
 * (fold=0 is the earlier occurrence in an overlap; in a gap it applies the offset before the
 * change, which is the same instant as moving the local time forward by the gap.)
 */
class CronSlotsTest {

  private static final Duration GRACE = Duration.ofSeconds(600);
  private static final Duration EARLY = Duration.ofMinutes(5);

  private static SlotSequence cron(String expression, String zone) {
    return Schedule.of("cron", null, expression, zone).slots(null);
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static List<Instant> instants(SlotSequence slots, String from, String to) {
    return slots.between(at(from), at(to)).map(Slot::at).toList();
  }

  // Europe/Berlin, spring forward 2026-03-29 02:00 CET -> 03:00 CEST.

  @Test
  void aSlotInsideTheSpringForwardGapMovesForwardByTheGap() {
    // 02:30 does not exist: 03:30 CEST = 01:30Z.
    Slot slot = cron("30 2 * * *", "Europe/Berlin").next(at("2026-03-28T12:00:00Z")).orElseThrow();
    assertThat(slot.at()).isEqualTo(at("2026-03-29T01:30:00Z"));
    assertThat(slot.lastAt()).isEqualTo(slot.at());
    assertThat(slot.localTime()).isEqualTo(LocalDateTime.parse("2026-03-29T02:30"));
    assertThat(slot.dst()).isEqualTo(Slot.Dst.MOVED_BY_GAP);
  }

  @Test
  void theDailySlotIsOnTheDaysAroundTheGapToo() {
    // 2026-03-28 02:30 CET = 01:30Z; 2026-03-30 02:30 CEST = 00:30Z.
    assertThat(
            instants(
                cron("30 2 * * *", "Europe/Berlin"),
                "2026-03-28T00:00:00Z",
                "2026-03-31T00:00:00Z"))
        .containsExactly(
            at("2026-03-28T01:30:00Z"), at("2026-03-29T01:30:00Z"), at("2026-03-30T00:30:00Z"));
  }

  @Test
  void aSlotMovedByTheGapIsMissedAtItsDeadlineAndNotAMinuteBefore() {
    Slot slot = cron("30 2 * * *", "Europe/Berlin").next(at("2026-03-29T00:00:00Z")).orElseThrow();
    assertThat(slot.deadline(GRACE)).isEqualTo(at("2026-03-29T01:40:00Z"));
    assertThat(slot.isDueAt(at("2026-03-29T01:39:00Z"), GRACE)).isFalse();
    assertThat(slot.isDueAt(at("2026-03-29T01:40:00Z"), GRACE)).isTrue();
    SlotSequence slots = cron("30 2 * * *", "Europe/Berlin");
    assertThat(slots.dueBetween(at("2026-03-29T01:38:00Z"), at("2026-03-29T01:39:00Z"), GRACE))
        .isEmpty();
    assertThat(slots.dueBetween(at("2026-03-29T01:39:00Z"), at("2026-03-29T01:40:00Z"), GRACE))
        .containsExactly(slot);
  }

  @Test
  void aRunAtTheMovedTimeFillsTheSlot() {
    Slot slot = cron("30 2 * * *", "Europe/Berlin").next(at("2026-03-29T00:00:00Z")).orElseThrow();
    assertThat(slot.isFilledBy(at("2026-03-29T01:30:05Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-03-29T01:25:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-03-29T01:24:59Z"), EARLY, GRACE)).isFalse();
    assertThat(slot.isFilledBy(at("2026-03-29T01:40:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-03-29T01:40:01Z"), EARLY, GRACE)).isFalse();
  }

  @Test
  void movedSlotsThatLandOnRealOnesAreExpectedOnceAtTheRealLocalTime() {
    // 02:00 and 02:30 move onto 03:00 (01:00Z) and 03:30 (01:30Z); 04:00 CEST = 02:00Z.
    SlotSequence slots = cron("*/30 * * * *", "Europe/Berlin");
    List<Slot> found =
        slots.between(at("2026-03-29T00:00:00Z"), at("2026-03-29T02:00:01Z")).toList();
    assertThat(found)
        .extracting(Slot::at)
        .containsExactly(
            at("2026-03-29T00:00:00Z"),
            at("2026-03-29T00:30:00Z"),
            at("2026-03-29T01:00:00Z"),
            at("2026-03-29T01:30:00Z"),
            at("2026-03-29T02:00:00Z"));
    assertThat(found.get(2).localTime()).isEqualTo(LocalDateTime.parse("2026-03-29T03:00"));
    assertThat(found.get(2).dst()).isEqualTo(Slot.Dst.NONE);
    assertThat(slots.previous(at("2026-03-29T01:30:00Z")).orElseThrow().localTime())
        .isEqualTo(LocalDateTime.parse("2026-03-29T03:00"));
  }

  @Test
  void aMovedSlotThatLandsAfterARealOneComesAfterIt() {
    // Australia/Lord_Howe springs forward by 30 minutes, 2026-10-04 02:00 -> 02:30 (+10:30 -> +11).
    // 02:15 moves to 02:45 = 15:45Z, after the real 02:40 = 15:40Z (zoneinfo, fold=0).
    SlotSequence slots = cron("15,40 2 * * *", "Australia/Lord_Howe");
    assertThat(instants(slots, "2026-10-03T12:00:00Z", "2026-10-03T18:00:00Z"))
        .containsExactly(at("2026-10-03T15:40:00Z"), at("2026-10-03T15:45:00Z"));
    assertThat(slots.next(at("2026-10-03T15:00:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-10-03T15:40:00Z"));
    assertThat(slots.next(at("2026-10-03T15:40:00Z")).orElseThrow().dst())
        .isEqualTo(Slot.Dst.MOVED_BY_GAP);
    assertThat(slots.previous(at("2026-10-03T15:50:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-10-03T15:45:00Z"));
    assertThat(slots.previous(at("2026-10-03T15:45:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-10-03T15:40:00Z"));
    // The day before, 2026-10-03 02:40 (+10:30) = 2026-10-02T16:10Z, is the slot before.
    Slot dayBefore = slots.previous(at("2026-10-03T15:40:00Z")).orElseThrow();
    assertThat(dayBefore.at()).isEqualTo(at("2026-10-02T16:10:00Z"));
    assertThat(dayBefore.localTime()).isEqualTo(LocalDateTime.parse("2026-10-03T02:40"));
  }

  @Test
  void everyQuarterHourAcrossTheGapIsEveryQuarterHourInUtcAndBackfillsInOrder() {
    SlotSequence slots = cron("*/15 * * * *", "Europe/Berlin");
    List<Slot> due =
        slots.dueBetween(at("2026-03-29T00:00:00Z"), at("2026-03-29T02:00:00Z"), GRACE).toList();
    assertThat(due)
        .extracting(Slot::at)
        .containsExactly(
            at("2026-03-29T00:00:00Z"),
            at("2026-03-29T00:15:00Z"),
            at("2026-03-29T00:30:00Z"),
            at("2026-03-29T00:45:00Z"),
            at("2026-03-29T01:00:00Z"),
            at("2026-03-29T01:15:00Z"),
            at("2026-03-29T01:30:00Z"),
            at("2026-03-29T01:45:00Z"));
    assertThat(due).allMatch(slot -> slot.dst() == Slot.Dst.NONE);
  }

  // Europe/Berlin, fall back 2026-10-25 03:00 CEST -> 02:00 CET: 02:00-02:59 occurs twice.

  @Test
  void aSlotInsideTheBerlinOverlapIsExpectedOnce() {
    // 02:30 CEST = 00:30Z, 02:30 CET = 01:30Z.
    SlotSequence slots = cron("30 2 * * *", "Europe/Berlin");
    List<Slot> found =
        slots.between(at("2026-10-24T12:00:00Z"), at("2026-10-25T12:00:00Z")).toList();
    assertThat(found).hasSize(1);
    Slot slot = found.get(0);
    assertThat(slot.at()).isEqualTo(at("2026-10-25T00:30:00Z"));
    assertThat(slot.lastAt()).isEqualTo(at("2026-10-25T01:30:00Z"));
    assertThat(slot.dst()).isEqualTo(Slot.Dst.OVERLAP);
    assertThat(slot.deadline(GRACE)).isEqualTo(at("2026-10-25T01:40:00Z"));
  }

  @Test
  void eitherOccurrenceFillsAnOverlapSlot() {
    Slot slot = cron("30 2 * * *", "Europe/Berlin").next(at("2026-10-24T12:00:00Z")).orElseThrow();
    assertThat(slot.isFilledBy(at("2026-10-25T00:30:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-10-25T01:30:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-10-25T01:00:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-10-25T00:24:59Z"), EARLY, GRACE)).isFalse();
    assertThat(slot.isFilledBy(at("2026-10-25T01:40:01Z"), EARLY, GRACE)).isFalse();
    assertThat(slot.isDueAt(at("2026-10-25T00:40:00Z"), GRACE)).isFalse();
    assertThat(slot.isDueAt(at("2026-10-25T01:39:00Z"), GRACE)).isFalse();
    assertThat(slot.isDueAt(at("2026-10-25T01:40:00Z"), GRACE)).isTrue();
    SlotSequence slots = cron("30 2 * * *", "Europe/Berlin");
    assertThat(slots.earliestSlotFilledBy(at("2026-10-25T01:31:00Z"), EARLY, GRACE)).contains(slot);
  }

  @Test
  void theNextDeadlineDuringTheSecondPassIsTheOverlapSlots() {
    SlotSequence slots = cron("30 2 * * *", "Europe/Berlin");
    assertThat(slots.nextDeadlineAfter(at("2026-10-25T01:00:00Z"), GRACE))
        .contains(at("2026-10-25T01:40:00Z"));
    assertThat(slots.nextDeadlineAfter(at("2026-10-24T23:00:00Z"), GRACE))
        .contains(at("2026-10-25T01:40:00Z"));
    // After it: 2026-10-26 02:30 CET = 01:30Z.
    assertThat(slots.nextDeadlineAfter(at("2026-10-25T01:40:00Z"), GRACE))
        .contains(at("2026-10-26T01:40:00Z"));
  }

  @Test
  void everyQuarterHourThroughTheOverlapKeepsDeadlinesInOrder() {
    SlotSequence slots = cron("*/15 * * * *", "Europe/Berlin");
    // 01:45 CEST = 23:45Z; 02:00-02:45 CEST = 00:00-00:45Z (again at 01:00-01:45Z); 03:00 CET =
    // 02:00Z.
    List<Slot> found =
        slots.between(at("2026-10-24T23:30:00Z"), at("2026-10-25T02:30:00Z")).toList();
    assertThat(found)
        .extracting(Slot::at)
        .containsExactly(
            at("2026-10-24T23:30:00Z"),
            at("2026-10-24T23:45:00Z"),
            at("2026-10-25T00:00:00Z"),
            at("2026-10-25T00:15:00Z"),
            at("2026-10-25T00:30:00Z"),
            at("2026-10-25T00:45:00Z"),
            at("2026-10-25T02:00:00Z"),
            at("2026-10-25T02:15:00Z"));
    assertThat(found)
        .extracting(slot -> slot.deadline(GRACE))
        .isSorted()
        .contains(at("2026-10-25T01:10:00Z"), at("2026-10-25T01:55:00Z"));
    assertThat(slots.firstDueAfter(at("2026-10-25T01:00:00Z"), GRACE).orElseThrow().at())
        .isEqualTo(at("2026-10-25T00:00:00Z"));
    assertThat(slots.dueBetween(at("2026-10-25T00:00:00Z"), at("2026-10-25T01:30:00Z"), GRACE))
        .extracting(Slot::at)
        .containsExactly(at("2026-10-25T00:00:00Z"), at("2026-10-25T00:15:00Z"));
    assertThat(slots.previous(at("2026-10-25T01:10:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-10-25T00:45:00Z"));
  }

  // America/New_York, fall back 2026-11-01 02:00 EDT -> 01:00 EST: 01:00-01:59 occurs twice.

  @Test
  void aSlotInsideTheNewYorkOverlapIsExpectedOnceAndEitherOccurrenceFillsIt() {
    // 01:30 EDT = 05:30Z, 01:30 EST = 06:30Z; the days around: 2026-10-31 05:30Z, 2026-11-02
    // 06:30Z.
    SlotSequence slots = cron("30 1 * * *", "America/New_York");
    List<Slot> found =
        slots.between(at("2026-10-31T00:00:00Z"), at("2026-11-03T00:00:00Z")).toList();
    assertThat(found)
        .extracting(Slot::at)
        .containsExactly(
            at("2026-10-31T05:30:00Z"), at("2026-11-01T05:30:00Z"), at("2026-11-02T06:30:00Z"));
    Slot slot = found.get(1);
    assertThat(slot.lastAt()).isEqualTo(at("2026-11-01T06:30:00Z"));
    assertThat(slot.isFilledBy(at("2026-11-01T05:31:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.isFilledBy(at("2026-11-01T06:31:00Z"), EARLY, GRACE)).isTrue();
    assertThat(slot.deadline(GRACE)).isEqualTo(at("2026-11-01T06:40:00Z"));
    assertThat(slots.previous(at("2026-11-01T06:00:00Z")).orElseThrow()).isEqualTo(slot);
  }

  // Asia/Tokyo has had no DST since 1951.

  @Test
  void tokyoSlotsAreNineHoursAheadOfUtcEveryDay() {
    // 02:30 JST = 17:30Z the day before (zoneinfo).
    assertThat(
            instants(
                cron("30 2 * * *", "Asia/Tokyo"), "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"))
        .containsExactly(
            at("2026-03-28T17:30:00Z"), at("2026-03-29T17:30:00Z"), at("2026-03-30T17:30:00Z"));
  }

  @Test
  void windowsZoneIdsGiveTheSameSlotsAsTheirIanaZone() {
    assertThat(
            instants(
                cron("30 2 * * *", "W. Europe Standard Time"),
                "2026-03-28T00:00:00Z",
                "2026-03-31T00:00:00Z"))
        .isEqualTo(
            instants(
                cron("30 2 * * *", "Europe/Berlin"),
                "2026-03-28T00:00:00Z",
                "2026-03-31T00:00:00Z"));
  }

  @Test
  void nextAndPreviousAreStrict() {
    SlotSequence slots = cron("0 * * * *", "Asia/Tokyo");
    assertThat(slots.next(at("2026-12-06T03:00:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-06T04:00:00Z"));
    assertThat(slots.previous(at("2026-12-06T03:00:00Z")).orElseThrow().at())
        .isEqualTo(at("2026-12-06T02:00:00Z"));
    assertThat(slots.between(at("2026-12-06T03:00:00Z"), at("2026-12-06T04:00:00Z")))
        .extracting(Slot::at)
        .containsExactly(at("2026-12-06T03:00:00Z"));
  }

  @Test
  void aYearlyCronFindsItsSlotYearsAheadQuickly() {
    SlotSequence slots = cron("0 0 29 2 *", "Asia/Tokyo");
    long started = System.nanoTime();
    Slot slot = slots.next(at("2096-03-01T00:00:00Z")).orElseThrow();
    // 2104-02-29 00:00 JST = 2104-02-28T15:00Z.
    assertThat(slot.at()).isEqualTo(at("2104-02-28T15:00:00Z"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }
}
