package jp.tcportal.schema.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) at
 * minute resolution, evaluated over local date-times only; {@link CronSlots} turns the matches into
 * instants in a zone. Written here rather than taken from a library because libraries silently skip
 * local times that a DST gap removes, and a skipped slot is a missed run nobody notices.
 *
 * <p>Syntax: {@code *}, lists {@code 1,15}, ranges {@code 1-5}, steps {@code *}{@code /15} and
 * {@code 1-30/5} ({@code 5/15} means {@code 5-59/15}), month names {@code JAN}-{@code DEC} and
 * weekday names {@code SUN}-{@code SAT} (any case), weekdays 0-7 with both 0 and 7 meaning Sunday.
 * As in Vixie cron, when both day fields are restricted a day matches if either does; a field that
 * starts with {@code *} (so {@code *}{@code /2} too) counts as unrestricted.
 */
public final class CronExpression {

  static final String FIELD = "schedule.cron";

  /** Longest expression accepted; the longest sensible one is a few dozen characters. */
  public static final int MAX_LENGTH = 200;

  private static final List<String> MONTH_NAMES =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAY_NAMES =
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String text;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;
  private final boolean dayOfMonthStar;
  private final boolean dayOfWeekStar;

  private CronExpression(String text, long[] masks, boolean dayOfMonthStar, boolean dayOfWeekStar) {
    this.text = text;
    this.minutes = masks[0];
    this.hours = masks[1];
    this.daysOfMonth = masks[2];
    this.months = masks[3];
    this.daysOfWeek = masks[4];
    this.dayOfMonthStar = dayOfMonthStar;
    this.dayOfWeekStar = dayOfWeekStar;
  }

  /** Parses an expression; anything malformed is a 400 naming {@code schedule.cron}. */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("must not be blank; give 5 fields: minute hour day-of-month month day-of-week");
    }
    if (text.length() > MAX_LENGTH) {
      throw invalid("must be at most " + MAX_LENGTH + " characters");
    }
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 5) {
      throw invalid(
          "must have 5 fields (minute hour day-of-month month day-of-week), got " + fields.length);
    }
    long[] masks = new long[5];
    for (int i = 0; i < 5; i++) {
      masks[i] = Field.values()[i].parse(fields[i]);
    }
    CronExpression cron =
        new CronExpression(
            String.join(" ", fields), masks, fields[2].startsWith("*"), fields[4].startsWith("*"));
    if (!cron.canMatchSomeDay()) {
      throw invalid(
          "never matches: no month in the expression has the day of month it names (e.g. 30 FEB)");
    }
    return cron;
  }

  /** Whether the local date-time, truncated to the minute, matches. */
  public boolean matches(LocalDateTime time) {
    return bit(minutes, time.getMinute())
        && bit(hours, time.getHour())
        && bit(months, time.getMonthValue())
        && dayMatches(time.toLocalDate());
  }

  /**
   * The first matching minute at or after {@code from} (rounded up to a whole minute), or null if
   * there is none before {@code from}'s year plus {@link ScheduleLimits#CRON_SEARCH_YEARS}. Walks
   * month, then day, then hour, then minute, so a yearly expression costs a few dozen steps a year.
   */
  LocalDateTime firstAtOrAfter(LocalDateTime from) {
    LocalDateTime start = from.withSecond(0).withNano(0);
    if (start.isBefore(from)) {
      start = start.plusMinutes(1);
    }
    int lastYear = start.getYear() + ScheduleLimits.CRON_SEARCH_YEARS;
    int year = start.getYear();
    int month = start.getMonthValue();
    int day = start.getDayOfMonth();
    int hour = start.getHour();
    int minute = start.getMinute();
    while (year <= lastYear) {
      int m = nextBit(months, month);
      if (m < 0) {
        year++;
        month = 1;
        day = 1;
        hour = 0;
        minute = 0;
        continue;
      }
      if (m != month) {
        month = m;
        day = 1;
        hour = 0;
        minute = 0;
      }
      int d = nextDay(year, month, day);
      if (d < 0) {
        month++;
        day = 1;
        hour = 0;
        minute = 0;
        continue;
      }
      if (d != day) {
        day = d;
        hour = 0;
        minute = 0;
      }
      int h = nextBit(hours, hour);
      if (h < 0) {
        day++;
        hour = 0;
        minute = 0;
        continue;
      }
      if (h != hour) {
        hour = h;
        minute = 0;
      }
      int mi = nextBit(minutes, minute);
      if (mi < 0) {
        hour++;
        minute = 0;
        continue;
      }
      return LocalDateTime.of(year, month, day, hour, mi);
    }
    return null;
  }

  /**
   * The last matching minute at or before {@code from} (truncated to a whole minute), or null if
   * there is none after {@code from}'s year minus {@link ScheduleLimits#CRON_SEARCH_YEARS}.
   */
  LocalDateTime lastAtOrBefore(LocalDateTime from) {
    int firstYear = from.getYear() - ScheduleLimits.CRON_SEARCH_YEARS;
    int year = from.getYear();
    int month = from.getMonthValue();
    int day = from.getDayOfMonth();
    int hour = from.getHour();
    int minute = from.getMinute();
    while (year >= firstYear) {
      int m = previousBit(months, month);
      if (m < 0) {
        year--;
        month = 12;
        day = 31;
        hour = 23;
        minute = 59;
        continue;
      }
      if (m != month) {
        month = m;
        day = 31;
        hour = 23;
        minute = 59;
      }
      int length = YearMonth.of(year, month).lengthOfMonth();
      if (day > length) {
        day = length;
        hour = 23;
        minute = 59;
      }
      int d = previousDay(year, month, day);
      if (d < 0) {
        month--;
        day = 31;
        hour = 23;
        minute = 59;
        continue;
      }
      if (d != day) {
        day = d;
        hour = 23;
        minute = 59;
      }
      int h = previousBit(hours, hour);
      if (h < 0) {
        day--;
        hour = 23;
        minute = 59;
        continue;
      }
      if (h != hour) {
        hour = h;
        minute = 59;
      }
      int mi = previousBit(minutes, minute);
      if (mi < 0) {
        hour--;
        minute = 59;
        continue;
      }
      return LocalDateTime.of(year, month, day, hour, mi);
    }
    return null;
  }

  private int nextDay(int year, int month, int fromDay) {
    int length = YearMonth.of(year, month).lengthOfMonth();
    for (int d = fromDay; d <= length; d++) {
      if (dayMatches(LocalDate.of(year, month, d))) {
        return d;
      }
    }
    return -1;
  }

  private int previousDay(int year, int month, int fromDay) {
    for (int d = fromDay; d >= 1; d--) {
      if (dayMatches(LocalDate.of(year, month, d))) {
        return d;
      }
    }
    return -1;
  }

  private boolean dayMatches(LocalDate date) {
    boolean dom = bit(daysOfMonth, date.getDayOfMonth());
    boolean dow = bit(daysOfWeek, date.getDayOfWeek().getValue() % 7);
    // Vixie cron's rule: both restricted -> either one; otherwise both (the '*' one is all ones).
    return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
  }

  /** Whether some month of the expression has one of its days, so the search can end. */
  private boolean canMatchSomeDay() {
    if (!dayOfMonthStar && !dayOfWeekStar) {
      return true; // either-day rule: any weekday of the list occurs in every month
    }
    for (int m = 1; m <= 12; m++) {
      if (bit(months, m) && nextBit(daysOfMonth, 1) <= YearMonth.of(2000, m).lengthOfMonth()) {
        return true; // 2000 is a leap year, so 29 FEB counts
      }
    }
    return false;
  }

  private static boolean bit(long mask, int value) {
    return (mask & (1L << value)) != 0;
  }

  private static int nextBit(long mask, int from) {
    if (from > 63) {
      return -1;
    }
    long rest = mask & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  private static int previousBit(long mask, int from) {
    if (from < 0) {
      return -1;
    }
    long rest = from >= 63 ? mask : mask & ((1L << (from + 1)) - 1);
    return rest == 0 ? -1 : 63 - Long.numberOfLeadingZeros(rest);
  }

  private static InvalidScheduleException invalid(String problem) {
    return new InvalidScheduleException(FIELD, FIELD + " " + problem);
  }

  /** The expression with its fields separated by single spaces. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronExpression cron && cron.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private enum Field {
    MINUTE("minute", 0, 59, null),
    HOUR("hour", 0, 23, null),
    DAY_OF_MONTH("day-of-month", 1, 31, null),
    MONTH("month", 1, 12, MONTH_NAMES),
    DAY_OF_WEEK("day-of-week", 0, 7, DAY_NAMES);

    private final String label;
    private final int min;
    private final int max;
    private final List<String> names;

    Field(String label, int min, int max, List<String> names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
    }

    long parse(String field) {
      long mask = 0;
      for (String part : field.split(",", -1)) {
        mask |= parsePart(part);
      }
      if (this == DAY_OF_WEEK && bit(mask, 7)) {
        mask = (mask & ~(1L << 7)) | 1L; // 7 is Sunday, as 0 is
      }
      return mask;
    }

    private long parsePart(String part) {
      if (part.isEmpty()) {
        throw problem("has an empty list item");
      }
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), "step", 1, max);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = this == DAY_OF_WEEK ? 6 : max;
      } else {
        int dash = range.indexOf('-', 1);
        if (dash >= 0) {
          from = value(range.substring(0, dash));
          to = value(range.substring(dash + 1));
          if (from > to) {
            throw problem(
                "range " + range + " runs backwards (ranges may not wrap around; use a list)");
          }
        } else {
          from = value(range);
          to = slash >= 0 ? max : from; // "5/15" is "5-max/15", as cronie reads it
        }
      }
      long mask = 0;
      for (int v = from; v <= to; v += step) {
        mask |= 1L << v;
      }
      return mask;
    }

    private int value(String token) {
      if (names != null && token.length() == 3 && Character.isLetter(token.charAt(0))) {
        int index = names.indexOf(token.toUpperCase(Locale.ROOT));
        if (index >= 0) {
          return this == MONTH ? index + 1 : index;
        }
      }
      return number(token, "value", min, max);
    }

    private int number(String token, String what, int low, int high) {
      if (token.isEmpty() || token.length() > 4 || !token.chars().allMatch(Character::isDigit)) {
        String expected = "a number from " + low + " to " + high;
        if (names != null && what.equals("value")) {
          expected += this == MONTH ? " or a name JAN-DEC" : " or a name SUN-SAT";
        }
        throw problem(what + " \"" + token + "\" is not " + expected);
      }
      int n = Integer.parseInt(token);
      if (n < low || n > high) {
        throw problem(what + " " + n + " is out of range " + low + "-" + high);
      }
      return n;
    }

    private InvalidScheduleException problem(String detail) {
      return invalid(label + " field: " + detail);
    }
  }
}
