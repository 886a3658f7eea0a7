package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// Weekdays were checked with python3 -c 'import datetime;
// print(datetime.date(2026,12,5).strftime("%A"))'
// (2026-12-05 Saturday, 2026-12-13 Sunday, 2028-02-29 Tuesday); leap years with calendar.isleap.
class CronExpressionTest {

  private static List<LocalDateTime> matches(String cron, String from, int count) {
    CronExpression expression = CronExpression.parse(cron);
    List<LocalDateTime> found = new ArrayList<>();
    LocalDateTime next = expression.firstAtOrAfter(LocalDateTime.parse(from));
    while (next != null && found.size() < count) {
      found.add(next);
      next = expression.firstAtOrAfter(next.plusMinutes(1));
    }
    return found;
  }

  private static List<LocalDateTime> times(String... values) {
    return java.util.Arrays.stream(values).map(LocalDateTime::parse).toList();
  }

  @Test
  void stepsFromStarCoverTheWholeField() {
    assertThat(matches("*/15 * * * *", "2026-12-06T10:07", 4))
        .isEqualTo(
            times("2026-12-06T10:15", "2026-12-06T10:30", "2026-12-06T10:45", "2026-12-06T11:00"));
  }

  @Test
  void stepsWithinARangeStopAtItsEnd() {
    assertThat(matches("1-30/5 9 * * *", "2026-12-06T09:00", 7))
        .isEqualTo(
            times(
                "2026-12-06T09:01",
                "2026-12-06T09:06",
                "2026-12-06T09:11",
                "2026-12-06T09:16",
                "2026-12-06T09:21",
                "2026-12-06T09:26",
                "2026-12-07T09:01"));
  }

  @Test
  void aStepFromASingleValueRunsToTheEndOfTheField() {
    assertThat(matches("50/5 * * * *", "2026-12-06T10:00", 3))
        .isEqualTo(times("2026-12-06T10:50", "2026-12-06T10:55", "2026-12-06T11:50"));
  }

  @Test
  void listsAndRangesCombine() {
    assertThat(matches("0 8,12-13,18 * * *", "2026-12-06T00:00", 5))
        .isEqualTo(
            times(
                "2026-12-06T08:00",
                "2026-12-06T12:00",
                "2026-12-06T13:00",
                "2026-12-06T18:00",
                "2026-12-07T08:00"));
  }

  @Test
  void weekdayNamesInARangeSkipTheWeekend() {
    // 2026-12-05 is a Saturday.
    assertThat(matches("0 9 * * MON-FRI", "2026-12-05T00:00", 2))
        .isEqualTo(times("2026-12-07T09:00", "2026-12-08T09:00"));
  }

  @Test
  void monthAndWeekdayNamesIgnoreCase() {
    assertThat(matches("0 0 1 jan,Jul *", "2026-12-06T00:00", 2))
        .isEqualTo(times("2027-01-01T00:00", "2027-07-01T00:00"));
    assertThat(CronExpression.parse("0 0 * * sun").matches(LocalDateTime.parse("2026-12-06T00:00")))
        .isTrue();
  }

  @Test
  void weekdaySevenIsSundayLikeZero() {
    // 2026-12-06 is a Sunday.
    LocalDateTime sunday = LocalDateTime.parse("2026-12-06T00:00");
    assertThat(CronExpression.parse("0 0 * * 7").matches(sunday)).isTrue();
    assertThat(CronExpression.parse("0 0 * * 0").matches(sunday)).isTrue();
    assertThat(matches("0 0 * * 5-7", "2026-12-07T00:00", 3))
        .isEqualTo(times("2026-12-11T00:00", "2026-12-12T00:00", "2026-12-13T00:00"));
  }

  @Test
  void restrictedDayOfMonthAndWeekdayMatchEitherOne() {
    // Friday 2026-12-11, Sunday the 13th, Friday 2026-12-18.
    assertThat(matches("0 0 13 * FRI", "2026-12-07T00:00", 3))
        .isEqualTo(times("2026-12-11T00:00", "2026-12-13T00:00", "2026-12-18T00:00"));
  }

  @Test
  void aDayFieldStartingWithStarCountsAsUnrestricted() {
    // Vixie cron: "*/1" is a star, so both day fields must match: Fridays only.
    assertThat(matches("0 0 */1 * FRI", "2026-12-07T00:00", 2))
        .isEqualTo(times("2026-12-11T00:00", "2026-12-18T00:00"));
  }

  @Test
  void theTwentyNinthOfFebruaryIsFoundYearsAheadWithoutWalkingEveryMinute() {
    assertThat(matches("0 0 29 2 *", "2026-12-06T00:00", 1)).isEqualTo(times("2028-02-29T00:00"));
    // 2100 is not a leap year: the next 29 February after 2096 is in 2104, within the 8-year bound.
    assertThat(matches("0 0 29 2 *", "2096-03-01T00:00", 1)).isEqualTo(times("2104-02-29T00:00"));
    CronExpression leapDay = CronExpression.parse("0 0 29 2 *");
    assertThat(leapDay.lastAtOrBefore(LocalDateTime.parse("2104-02-28T23:59")))
        .isEqualTo(LocalDateTime.parse("2096-02-29T00:00"));
  }

  @Test
  void theSearchGivesUpAfterEightYears() {
    // "*/7" is a star (Sundays only, AND rule): 29 February falls on a Sunday in 2032, then 2060
    // (python3: [y for y in range(2000, 2100) if leap(y) and date(y, 2, 29).weekday() == 6]).
    CronExpression leapSunday = CronExpression.parse("0 0 29 2 */7");
    assertThat(leapSunday.firstAtOrAfter(LocalDateTime.parse("2026-12-06T00:00")))
        .isEqualTo(LocalDateTime.parse("2032-02-29T00:00"));
    assertThat(leapSunday.firstAtOrAfter(LocalDateTime.parse("2032-03-01T00:00"))).isNull();
    assertThat(leapSunday.lastAtOrBefore(LocalDateTime.parse("2059-12-31T00:00"))).isNull();
  }

  @Test
  void searchesBackwardsAcrossMonthsAndYears() {
    CronExpression cron = CronExpression.parse("30 2 1 1,6 *");
    assertThat(cron.lastAtOrBefore(LocalDateTime.parse("2026-12-06T10:00")))
        .isEqualTo(LocalDateTime.parse("2026-06-01T02:30"));
    assertThat(cron.lastAtOrBefore(LocalDateTime.parse("2026-06-01T02:29")))
        .isEqualTo(LocalDateTime.parse("2026-01-01T02:30"));
    assertThat(cron.lastAtOrBefore(LocalDateTime.parse("2026-01-01T02:29")))
        .isEqualTo(LocalDateTime.parse("2025-06-01T02:30"));
  }

  @Test
  void roundsASecondsFractionUpToTheNextMinute() {
    CronExpression everyMinute = CronExpression.parse("* * * * *");
    assertThat(everyMinute.firstAtOrAfter(LocalDateTime.parse("2026-12-06T10:07:00.001")))
        .isEqualTo(LocalDateTime.parse("2026-12-06T10:08"));
    assertThat(everyMinute.firstAtOrAfter(LocalDateTime.parse("2026-12-06T10:07")))
        .isEqualTo(LocalDateTime.parse("2026-12-06T10:07"));
  }

  @Test
  void normalisesWhitespaceInItsText() {
    assertThat(CronExpression.parse("  30   2 * *\t* ").toString()).isEqualTo("30 2 * * *");
    assertThat(CronExpression.parse("30 2 * * *")).isEqualTo(CronExpression.parse(" 30 2 * * * "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| schedule.cron must not be blank; give 5 fields: minute hour day-of-month month day-of-week",
        "* * * *| schedule.cron must have 5 fields (minute hour day-of-month month day-of-week), got 4",
        "0 * * * * *| schedule.cron must have 5 fields (minute hour day-of-month month day-of-week), got 6",
        "60 * * * *| schedule.cron minute field: value 60 is out of range 0-59",
        "* 24 * * *| schedule.cron hour field: value 24 is out of range 0-23",
        "* * 0 * *| schedule.cron day-of-month field: value 0 is out of range 1-31",
        "* * 32 * *| schedule.cron day-of-month field: value 32 is out of range 1-31",
        "* * * 13 *| schedule.cron month field: value 13 is out of range 1-12",
        "* * * * 8| schedule.cron day-of-week field: value 8 is out of range 0-7",
        "*/0 * * * *| schedule.cron minute field: step 0 is out of range 1-59",
        "5-1 * * * *| schedule.cron minute field: range 5-1 runs backwards (ranges may not wrap around; use a list)",
        "* * * FOO *| schedule.cron month field: value \"FOO\" is not a number from 1 to 12 or a name JAN-DEC",
        "* * * * MONDAY| schedule.cron day-of-week field: value \"MONDAY\" is not a number from 0 to 7 or a name SUN-SAT",
        "1,,2 * * * *| schedule.cron minute field: has an empty list item",
        "-5 * * * *| schedule.cron minute field: value \"-5\" is not a number from 0 to 59",
        "0 0 30 2 *| schedule.cron never matches: no month in the expression has the day of month it names (e.g. 30 FEB)",
        "0 0 31 4,6,9,11 *| schedule.cron never matches: no month in the expression has the day of month it names (e.g. 30 FEB)",
      })
  void rejectsMalformedExpressionsNamingTheFieldAndRange(String cron, String message) {
    assertThatThrownBy(() -> CronExpression.parse(cron))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidScheduleException) e).field())
        .isEqualTo("schedule.cron");
  }

  @Test
  void acceptsTheThirtyFirstWhenOneOfItsMonthsHasIt() {
    assertThat(matches("0 0 31 4,5 *", "2026-12-06T00:00", 1)).isEqualTo(times("2027-05-31T00:00"));
  }

  @Test
  void refusesOverlongText() {
    assertThatThrownBy(() -> CronExpression.parse("0 0 * * " + "1,".repeat(100) + "2"))
        .hasMessage("schedule.cron must be at most 200 characters");
  }
}
