package jp.tcportal.schema.schedule;

import java.util.Locale;

/**
 * How a monitor's expected runs are given: not at all, every N seconds, or by a cron expression.
 */
public enum ScheduleType {
  NONE("none"),
  INTERVAL("interval"),
  CRON("cron");

  static final String FIELD = "schedule.type";

  private final String wireName;

  ScheduleType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the API and the database column. */
  public String wireName() {
    return wireName;
  }

  /** Reads the API's name; unknown names are a 400 naming the accepted ones. */
  public static ScheduleType fromWireName(String name) {
    if (name != null) {
      String lower = name.trim().toLowerCase(Locale.ROOT);
      for (ScheduleType type : values()) {
        if (type.wireName.equals(lower)) {
          return type;
        }
      }
    }
    throw new InvalidScheduleException(FIELD, FIELD + " must be one of: none, interval, cron");
  }
}
