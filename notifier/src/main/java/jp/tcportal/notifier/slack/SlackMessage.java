package jp.tcportal.notifier.slack;

import jp.tcportal.notifier.channel.Language;
import jp.tcportal.notifier.message.Excerpt;
import jp.tcportal.notifier.message.Notice;
import jp.tcportal.notifier.message.NoticeKind;
import jp.tcportal.notifier.message.Texts;
import jp.tcportal.schema.event.EventJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The incoming-webhook body: a plain {@code text} (what a phone's notification shows) and Block Kit
 * {@code blocks}. Every text from a report is escaped for mrkdwn and cut to Block Kit's limits, so
 * a job's message can neither break the layout nor make Slack refuse the whole post.
 */
public final class SlackMessage {

  /** Block Kit: header text 150 characters, section text 3000, field text 2000. */
  public static final int HEADER_LIMIT = 150;

  public static final int SECTION_LIMIT = 3000;
  static final int FIELD_LIMIT = 2000;

  private SlackMessage() {}

  public static String render(Notice notice, Language language) {
    Texts t = Texts.of(language);
    ObjectNode root = EventJson.mapper().createObjectNode();
    root.put("text", escape(t.summary(notice)));
    ArrayNode blocks = root.putArray("blocks");

    ObjectNode header = blocks.addObject().put("type", "header");
    header
        .putObject("text")
        .put("type", "plain_text")
        .put("text", Excerpt.cut(Excerpt.printable(t.headline(notice)), HEADER_LIMIT))
        .put("emoji", true);

    ObjectNode facts = blocks.addObject().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    field(fields, t.labelTask(), t.task(notice));
    field(fields, t.labelMachine(), t.machine(notice));
    if (notice.kind() == NoticeKind.OPENED) {
      field(fields, t.labelCause(), t.cause(notice));
      field(fields, t.labelStreak(), t.streak(notice));
    } else {
      field(
          fields,
          t.labelLasted(),
          notice.lasted() == null ? t.unknown() : t.duration(notice.lasted()));
      field(fields, t.labelOpened(), t.time(notice.openedAt()));
    }

    String message = notice.event().message();
    if (notice.kind() == NoticeKind.OPENED && message != null && !message.isBlank()) {
      String label = "*" + t.labelMessage() + "*\n";
      blocks
          .addObject()
          .put("type", "section")
          .putObject("text")
          .put("type", "mrkdwn")
          .put("text", label + codeBlock(message, SECTION_LIMIT - label.length()));
    }

    blocks
        .addObject()
        .put("type", "context")
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", t.labelOccurred() + ": " + t.time(notice.event().occurredAt()));

    ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject();
    button.put("type", "button").put("action_id", "open_monitor");
    button.putObject("text").put("type", "plain_text").put("text", t.openMonitor());
    button.put("url", notice.monitorUrl().toString());
    if (notice.kind() == NoticeKind.OPENED) {
      button.put("style", "danger");
    }
    return EventJson.mapper().writeValueAsString(root);
  }

  /** Escapes the three characters Slack's mrkdwn reserves: &amp;, &lt;, &gt;. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void field(ArrayNode fields, String label, String value) {
    String head = "*" + label + "*\n";
    fields
        .addObject()
        .put("type", "mrkdwn")
        .put("text", head + fit(Excerpt.printable(value), FIELD_LIMIT - head.length()));
  }

  /** The message in a code block, escaped, no longer than {@code limit} characters in all. */
  static String codeBlock(String message, int limit) {
    // A ``` inside would close the block early; a zero-width space keeps it literal.
    String safe = Excerpt.printable(message).replace("```", "`\u200b``");
    return "```" + fit(safe, limit - 6) + "```";
  }

  /** Escaped text cut so that the escaped form (entities included) fits in {@code limit}. */
  static String fit(String raw, int limit) {
    String escaped = escape(raw);
    int keep = raw.length();
    while (escaped.length() > limit && keep > 0) {
      // Cut the raw text, never an entity in half, then escape again.
      keep = Math.min(keep - 1, keep * limit / Math.max(1, escaped.length()));
      escaped = escape(Excerpt.cut(raw, keep));
    }
    return escaped;
  }
}
