package jp.tcportal.notifier.teams;

import java.nio.charset.StandardCharsets;
import jp.tcportal.notifier.channel.Language;
import jp.tcportal.notifier.message.Excerpt;
import jp.tcportal.notifier.message.Notice;
import jp.tcportal.notifier.message.NoticeKind;
import jp.tcportal.notifier.message.Texts;
import jp.tcportal.schema.event.EventJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body a Teams Workflows webhook ("When a Teams webhook request is received") posts: one
 * message with one Adaptive Card, a FactSet and an {@code Action.OpenUrl}. Teams refuses cards over
 * about 28 KB; the body is kept within {@value #MAX_BYTES} bytes by shortening the excerpt.
 */
public final class TeamsMessage {

  public static final int MAX_BYTES = 24 * 1024;
  static final int EXCERPT_LIMIT = 2000;

  private TeamsMessage() {}

  public static String render(Notice notice, Language language) {
    int excerpt = EXCERPT_LIMIT;
    while (true) {
      String body = render(notice, language, excerpt);
      if (body.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || excerpt == 0) {
        return body;
      }
      excerpt /= 2;
    }
  }

  private static String render(Notice notice, Language language, int excerptLimit) {
    Texts t = Texts.of(language);
    ObjectNode root = EventJson.mapper().createObjectNode().put("type", "message");
    ObjectNode attachment = root.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
        .put("type", "AdaptiveCard")
        .put("version", "1.4");
    ArrayNode body = card.putArray("body");
    body.addObject()
        .put("type", "TextBlock")
        .put("text", cut(t.headline(notice), 200))
        .put("size", "Large")
        .put("weight", "Bolder")
        .put("color", notice.kind() == NoticeKind.OPENED ? "Attention" : "Good")
        .put("wrap", true);
    ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
    fact(facts, t.labelTask(), t.task(notice));
    fact(facts, t.labelMachine(), t.machine(notice));
    if (notice.kind() == NoticeKind.OPENED) {
      fact(facts, t.labelCause(), t.cause(notice));
      fact(facts, t.labelStreak(), t.streak(notice));
    } else {
      fact(
          facts,
          t.labelLasted(),
          notice.lasted() == null ? t.unknown() : t.duration(notice.lasted()));
      fact(facts, t.labelOpened(), t.time(notice.openedAt()));
    }
    fact(facts, t.labelOccurred(), t.time(notice.event().occurredAt()));
    String message = notice.event().message();
    if (notice.kind() == NoticeKind.OPENED
        && message != null
        && !message.isBlank()
        && excerptLimit > 0) {
      body.addObject()
          .put("type", "TextBlock")
          .put("text", cut(message, excerptLimit))
          .put("fontType", "Monospace")
          .put("isSubtle", true)
          .put("wrap", true);
    }
    card.putArray("actions")
        .addObject()
        .put("type", "Action.OpenUrl")
        .put("title", t.openMonitor())
        .put("url", notice.monitorUrl().toString());
    return EventJson.mapper().writeValueAsString(root);
  }

  private static void fact(ArrayNode facts, String title, String value) {
    facts.addObject().put("title", title).put("value", cut(value, 500));
  }

  private static String cut(String text, int limit) {
    return Excerpt.cut(Excerpt.printable(text), limit);
  }
}
