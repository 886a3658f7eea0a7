package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MonitorScheduleTest {

  private static void assertRejected(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidScheduleException) e).field())
        .isEqualTo(field);
  }

  private static MonitorSchedule withGrace(Long seconds) {
    return MonitorSchedule.of(null, seconds, null, null, null);
  }

  @Test
  void defaultsKeepTheSpecsBehaviour() {
    MonitorSchedule defaults = MonitorSchedule.of(null, null, null, null, null);
    assertThat(defaults).isEqualTo(MonitorSchedule.DEFAULT);
    assertThat(defaults.schedule().type()).isEqualTo(ScheduleType.NONE);
    assertThat(defaults.graceSeconds()).isEqualTo(600);
    assertThat(defaults.maxRuntimeSeconds()).isNull();
    assertThat(defaults.failureThreshold()).isEqualTo(1);
    assertThat(defaults.recoveryThreshold()).isEqualTo(1);
    assertThat(defaults.hungAt(Instant.EPOCH)).isEmpty();
    assertThat(defaults.nextDeadlineAfter(null, Instant.EPOCH)).isEmpty();
  }

  @Test
  void acceptsTheIssuesExample() {
    MonitorSchedule settings =
        MonitorSchedule.of(
            Schedule.of("cron", 3600L, "30 2 * * *", "Asia/Tokyo"), 600L, 7200L, 3L, 1L);
    assertThat(settings.schedule().cronText()).isEqualTo("30 2 * * *");
    assertThat(settings.maxRuntime()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.failureThreshold()).isEqualTo(3);
    assertThat(settings.hungAt(Instant.parse("2026-12-06T01:00:00Z")))
        .contains(Instant.parse("2026-12-06T03:00:00Z"));
    // 02:30 JST = 17:30Z the day before; grace 600 s.
    assertThat(settings.nextDeadlineAfter(null, Instant.parse("2026-12-06T00:00:00Z")))
        .contains(Instant.parse("2026-12-06T17:40:00Z"));
  }

  @Test
  void graceAcceptsItsBoundsAndRejectsBeyondThem() {
    assertThat(withGrace(30L).graceSeconds()).isEqualTo(30);
    assertThat(withGrace(604_800L).graceSeconds()).isEqualTo(604_800);
    String message = "grace_seconds must be an integer from 30 to 604800";
    assertRejected(() -> withGrace(29L), "grace_seconds", message);
    assertRejected(() -> withGrace(604_801L), "grace_seconds", message);
    assertRejected(() -> withGrace(-1L), "grace_seconds", message);
    assertThat(MonitorSchedule.graceRange()).isEqualTo(message);
  }

  @Test
  void maxRuntimeAcceptsItsBoundsOrNullAndRejectsBeyondThem() {
    assertThat(MonitorSchedule.of(null, null, 30L, null, null).maxRuntimeSeconds()).isEqualTo(30);
    assertThat(MonitorSchedule.of(null, null, 2_419_200L, null, null).maxRuntimeSeconds())
        .isEqualTo(2_419_200);
    String message = "max_runtime_seconds must be null (no limit) or an integer from 30 to 2419200";
    assertRejected(
        () -> MonitorSchedule.of(null, null, 29L, null, null), "max_runtime_seconds", message);
    assertRejected(
        () -> MonitorSchedule.of(null, null, 2_419_201L, null, null),
        "max_runtime_seconds",
        message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"failure_threshold", "recovery_threshold"})
  void thresholdsAcceptOneToAHundred(String field) {
    for (long ok : new long[] {1, 100}) {
      MonitorSchedule settings = threshold(field, ok);
      assertThat(
              field.startsWith("failure")
                  ? settings.failureThreshold()
                  : settings.recoveryThreshold())
          .isEqualTo((int) ok);
    }
    for (long bad : new long[] {0, 101, Long.MAX_VALUE}) {
      assertRejected(
          () -> threshold(field, bad), field, field + " must be an integer from 1 to 100");
    }
  }

  private static MonitorSchedule threshold(String field, long value) {
    return field.startsWith("failure")
        ? MonitorSchedule.of(null, null, null, value, null)
        : MonitorSchedule.of(null, null, null, null, value);
  }

  @Test
  void intervalAcceptsAMinuteToThirtyOneDays() {
    assertThat(Schedule.of("interval", 60L, null, null).intervalSeconds()).isEqualTo(60);
    assertThat(Schedule.of("interval", 2_678_400L, null, null).intervalSeconds())
        .isEqualTo(2_678_400);
    String message = "schedule.interval_seconds must be an integer from 60 to 2678400";
    assertRejected(
        () -> Schedule.of("interval", 59L, null, null), "schedule.interval_seconds", message);
    assertRejected(
        () -> Schedule.of("interval", 2_678_401L, null, null),
        "schedule.interval_seconds",
        message);
    assertRejected(
        () -> Schedule.of("interval", null, null, null),
        "schedule.interval_seconds",
        "schedule.interval_seconds is required when schedule.type is interval"
            + " (an integer from 60 to 2678400)");
    assertRejected(
        () ->
            new Schedule(
                ScheduleType.INTERVAL, Duration.ofMillis(60_500), null, TimeZones.DEFAULT_ZONE),
        "schedule.interval_seconds",
        message);
  }

  @Test
  void cronIsRequiredForACronSchedule() {
    assertRejected(
        () -> Schedule.of("cron", null, null, null),
        "schedule.cron",
        "schedule.cron is required when schedule.type is cron"
            + " (5 fields: minute hour day-of-month month day-of-week)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"weekly", "", "  "})
  void rejectsAnUnknownScheduleType(String type) {
    assertRejected(
        () -> Schedule.of(type, null, null, null),
        "schedule.type",
        "schedule.type must be one of: none, interval, cron");
    assertRejected(
        () -> Schedule.of(null, null, null, null),
        "schedule.type",
        "schedule.type must be one of: none, interval, cron");
  }

  @Test
  void theRecordRefusesOutOfRangeValuesToo() {
    assertRejected(
        () -> new MonitorSchedule(Schedule.NONE, Duration.ofSeconds(10), null, 1, 1),
        "grace_seconds",
        "grace_seconds must be an integer from 30 to 604800");
    assertRejected(
        () -> new MonitorSchedule(Schedule.NONE, Duration.ofMillis(30_500), null, 1, 1),
        "grace_seconds",
        "grace_seconds must be an integer from 30 to 604800");
    assertRejected(
        () ->
            new MonitorSchedule(Schedule.NONE, Duration.ofSeconds(600), Duration.ofDays(29), 1, 1),
        "max_runtime_seconds",
        "max_runtime_seconds must be null (no limit) or an integer from 30 to 2419200");
    assertRejected(
        () -> new MonitorSchedule(Schedule.NONE, Duration.ofSeconds(600), null, 1, 0),
        "recovery_threshold",
        "recovery_threshold must be an integer from 1 to 100");
  }
}
