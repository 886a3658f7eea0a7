package jp.tcportal.notifier.message;

import java.util.Locale;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.report.RunStatus;

/** What a status change means to people; stored in the ledger's {@code notice} column. */
public enum NoticeKind {
  /** A monitor started failing. */
  OPENED,
  /** A failing monitor succeeded again. */
  RESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NoticeKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * The notice an event calls for, or null when nothing notable happened: a success after a
   * success, and a failure while already failing (the streak grows, but people already know; the
   * reminders of issue 14 will repeat it at the channel's pace instead of every run's).
   */
  public static NoticeKind of(MonitorStatusChanged event) {
    boolean failing = event.status() == RunStatus.FAILED;
    boolean wasFailing = event.previousStatus() == RunStatus.FAILED;
    if (failing && !wasFailing) {
      return OPENED;
    }
    if (!failing && wasFailing) {
      return RESOLVED;
    }
    return null;
  }
}
