package jp.tcportal.notifier.message;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import jp.tcportal.notifier.channel.Language;

/**
 * The words of every message in Japanese and English, so each channel type says the same thing.
 * Times are shown in Asia/Tokyo with their offset, the dashboard's default zone.
 */
public final class Texts {

  private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").withZone(ZONE);

  private final Language language;

  private Texts(Language language) {
    this.language = language;
  }

  public static Texts of(Language language) {
    return new Texts(language);
  }

  private boolean ja() {
    return language == Language.JA;
  }

  public String headline(Notice notice) {
    String task = notice.event().taskName();
    return notice.kind() == NoticeKind.OPENED
        ? (ja() ? "🔴 失敗: " : "🔴 Failed: ") + task
        : (ja() ? "✅ 復旧: " : "✅ Resolved: ") + task;
  }

  /** One line for a phone's notification or a subject: what, where, why. */
  public String summary(Notice notice) {
    String where = task(notice) + " / " + machine(notice);
    return notice.kind() == NoticeKind.OPENED
        ? (ja() ? "【失敗】" : "[FAILED] ") + where + " — " + cause(notice)
        : (ja() ? "【復旧】" : "[RESOLVED] ") + where + " — " + recovery(notice);
  }

  public String task(Notice notice) {
    return notice.event().taskName() + " (" + notice.event().taskKey() + ")";
  }

  public String machine(Notice notice) {
    String machine = notice.event().machineName();
    return machine == null || machine.isEmpty()
        ? (ja() ? "（マシン名なし）" : "(no machine name)")
        : machine;
  }

  public String cause(Notice notice) {
    Integer exit = notice.event().exitCode();
    if (exit == null) {
      return ja() ? "失敗 (終了コードなし)" : "failed (no exit code)";
    }
    return ja() ? "終了コード " + exit + " で失敗" : "failed with exit code " + exit;
  }

  public String recovery(Notice notice) {
    Duration lasted = notice.lasted();
    if (lasted == null) {
      return ja() ? "成功しました" : "succeeded again";
    }
    return ja()
        ? "成功しました (障害期間 " + duration(lasted) + ")"
        : "succeeded again (lasted " + duration(lasted) + ")";
  }

  public String streak(Notice notice) {
    int streak = notice.event().failureStreak();
    return ja() ? streak + " 回" : streak + (streak == 1 ? " run" : " runs");
  }

  public String duration(Duration d) {
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    StringBuilder out = new StringBuilder();
    if (days > 0) {
      out.append(days).append(ja() ? "日" : " d ");
    }
    if (hours > 0) {
      out.append(hours).append(ja() ? "時間" : " h ");
    }
    if (minutes > 0 && days == 0) {
      out.append(minutes).append(ja() ? "分" : " min ");
    }
    if (out.length() == 0) {
      out.append(seconds).append(ja() ? "秒" : " s");
    }
    return out.toString().strip();
  }

  public String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  public String labelTask() {
    return ja() ? "タスク" : "Task";
  }

  public String labelMachine() {
    return ja() ? "マシン" : "Machine";
  }

  public String labelCause() {
    return ja() ? "原因" : "Cause";
  }

  public String labelStreak() {
    return ja() ? "連続失敗" : "Consecutive failures";
  }

  public String labelLasted() {
    return ja() ? "障害期間" : "Lasted";
  }

  public String labelMessage() {
    return ja() ? "メッセージ" : "Message";
  }

  public String labelOccurred() {
    return ja() ? "発生時刻" : "Occurred at";
  }

  public String labelOpened() {
    return ja() ? "障害発生" : "Opened at";
  }

  public String openMonitor() {
    return ja() ? "モニターを開く" : "Open monitor";
  }

  public String unknown() {
    return ja() ? "不明" : "unknown";
  }
}
