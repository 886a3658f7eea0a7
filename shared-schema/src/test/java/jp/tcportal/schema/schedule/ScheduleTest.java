package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected instants were computed with Python's zoneinfo (see {@link CronSlotsTest}). */
class ScheduleTest {

  @Test
  void previewsTheNextFiveRunsWithTheirLocalTimes() {
    Schedule schedule = Schedule.of("cron", null, "30 2 * * *", "Asia/Tokyo");
    List<ExpectedRun> runs = schedule.previewNext(Instant.parse("2026-03-28T00:00:00Z"), 5);
    assertThat(runs)
        .extracting(ExpectedRun::at)
        .containsExactly(
            Instant.parse("2026-03-28T17:30:00Z"),
            Instant.parse("2026-03-29T17:30:00Z"),
            Instant.parse("2026-03-30T17:30:00Z"),
            Instant.parse("2026-03-31T17:30:00Z"),
            Instant.parse("2026-04-01T17:30:00Z"));
    assertThat(runs.get(0).localDateTime()).isEqualTo(LocalDateTime.parse("2026-03-29T02:30"));
    assertThat(runs.get(0).offset()).isEqualTo(ZoneOffset.ofHours(9));
  }

  @Test
  void thePreviewShowsTheWallClockOfAMovedSlotAndSaysWhy() {
    Schedule schedule = Schedule.of("cron", null, "30 2 * * *", "Europe/Berlin");
    List<ExpectedRun> runs = schedule.previewNext(Instant.parse("2026-03-28T12:00:00Z"), 2);
    assertThat(runs.get(0))
        .isEqualTo(
            new ExpectedRun(
                Instant.parse("2026-03-29T01:30:00Z"),
                LocalDateTime.parse("2026-03-29T03:30"),
                ZoneOffset.ofHours(2),
                Slot.Dst.MOVED_BY_GAP));
    assertThat(runs.get(1).localDateTime()).isEqualTo(LocalDateTime.parse("2026-03-30T02:30"));
  }

  @Test
  void anIntervalPreviewWithoutAnchorStartsOneIntervalFromNow() {
    Schedule schedule = Schedule.of("interval", 3_600L, null, "UTC");
    assertThat(schedule.previewNext(Instant.parse("2026-12-06T03:00:00Z"), 2))
        .extracting(ExpectedRun::at)
        .containsExactly(
            Instant.parse("2026-12-06T04:00:00Z"), Instant.parse("2026-12-06T05:00:00Z"));
    assertThat(
            schedule.previewNext(
                Instant.parse("2026-12-06T02:10:00Z"), Instant.parse("2026-12-06T03:00:00Z"), 1))
        .extracting(ExpectedRun::at)
        .containsExactly(Instant.parse("2026-12-06T03:10:00Z"));
  }

  @Test
  void aScheduleWithoutTypeOfSlotsPreviewsNothing() {
    assertThat(Schedule.of("none", 60L, "* * * * *", null).previewNext(Instant.EPOCH, 5)).isEmpty();
  }

  @Test
  void keepsOnlyTheFieldsItsTypeUsesAndStoresTheIanaZone() {
    Schedule cron = Schedule.of("CRON", 3_600L, "30 2 * * *", "Tokyo Standard Time");
    assertThat(cron.type()).isEqualTo(ScheduleType.CRON);
    assertThat(cron.intervalSeconds()).isNull();
    assertThat(cron.cronText()).isEqualTo("30 2 * * *");
    assertThat(cron.timeZone()).isEqualTo("Asia/Tokyo");
    Schedule interval = Schedule.of("interval", 3_600L, "30 2 * * *", null);
    assertThat(interval.cron()).isNull();
    assertThat(interval.intervalSeconds()).isEqualTo(3_600L);
    assertThat(interval.timeZone()).isEqualTo("Asia/Tokyo");
  }
}
