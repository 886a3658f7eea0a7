package jp.tcportal.notifier.email;

import jp.tcportal.notifier.channel.Language;
import jp.tcportal.notifier.message.Excerpt;
import jp.tcportal.notifier.message.Notice;
import jp.tcportal.notifier.message.NoticeKind;
import jp.tcportal.notifier.message.Texts;

/**
 * A plain-text e-mail. The subject is one line with no control characters, so a task name cannot
 * add headers; the body lists the same facts as the chat messages.
 */
public record EmailMessage(String subject, String body) {

  static final int EXCERPT_LIMIT = 4000;

  public static EmailMessage render(Notice notice, Language language) {
    Texts t = Texts.of(language);
    String subject =
        Excerpt.cut("[TC Portal] " + t.summary(notice), 200).replaceAll("\\p{Cntrl}", " ");
    StringBuilder body = new StringBuilder();
    body.append(t.summary(notice)).append("\n\n");
    line(body, t.labelTask(), t.task(notice));
    line(body, t.labelMachine(), t.machine(notice));
    if (notice.kind() == NoticeKind.OPENED) {
      line(body, t.labelCause(), t.cause(notice));
      line(body, t.labelStreak(), t.streak(notice));
    } else {
      line(
          body,
          t.labelLasted(),
          notice.lasted() == null ? t.unknown() : t.duration(notice.lasted()));
      line(body, t.labelOpened(), t.time(notice.openedAt()));
    }
    line(body, t.labelOccurred(), t.time(notice.event().occurredAt()));
    String message = notice.event().message();
    if (notice.kind() == NoticeKind.OPENED && message != null && !message.isBlank()) {
      body.append('\n')
          .append(t.labelMessage())
          .append(":\n")
          .append(Excerpt.cut(Excerpt.printable(message), EXCERPT_LIMIT))
          .append('\n');
    }
    body.append('\n').append(t.openMonitor()).append(": ").append(notice.monitorUrl()).append('\n');
    return new EmailMessage(subject, body.toString());
  }

  private static void line(StringBuilder body, String label, String value) {
    body.append(label)
        .append(": ")
        .append(Excerpt.printable(value).replace('\n', ' '))
        .append('\n');
  }
}
