package jp.tcportal.notifier.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.notifier.channel.Language;
import jp.tcportal.notifier.email.EmailMessage;
import jp.tcportal.notifier.slack.SlackMessage;
import jp.tcportal.notifier.teams.TeamsMessage;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.RunStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Every message type in both languages, for an opened and a resolved incident, pinned to files. */
class MessagesGoldenTest {

  private static final URI PUBLIC_URL = URI.create("https://portal.example.co.jp/");
  private static final UUID MONITOR = UUID.fromString("6f1c1d2e-0a3b-5c4d-8e9f-0123456789ab");

  static MonitorStatusChanged failedEvent() {
    return new MonitorStatusChanged(
        1,
        UUID.fromString("0d9a7e1c-7b2f-4a51-9a38-52f0b1c2d3e4"),
        MONITOR,
        "nightly_import",
        "ナイトリー取込 <本番> & 集計",
        Kind.PYTHON,
        "PC-01",
        RunStatus.SUCCESS,
        RunStatus.FAILED,
        3,
        UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"),
        Instant.parse("2026-01-22T09:05:30Z"),
        2,
        "Traceback (most recent call last):\n  File \"import.py\", line 3\nValueError: <bad> & \"worse\"");
  }

  static MonitorStatusChanged resolvedEvent() {
    return new MonitorStatusChanged(
        1,
        UUID.fromString("1e8b6f2d-8c3a-4b62-8b49-63a1c2d3e4f5"),
        MONITOR,
        "nightly_import",
        "ナイトリー取込 <本番> & 集計",
        Kind.PYTHON,
        "PC-01",
        RunStatus.FAILED,
        RunStatus.SUCCESS,
        0,
        UUID.fromString("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"),
        Instant.parse("2026-01-22T11:15:30Z"),
        0,
        "処理完了");
  }

  static Notice opened() {
    MonitorStatusChanged event = failedEvent();
    return new Notice(NoticeKind.OPENED, event, null, Notice.monitorUrl(PUBLIC_URL, event));
  }

  static Notice resolved() {
    MonitorStatusChanged event = resolvedEvent();
    return new Notice(
        NoticeKind.RESOLVED,
        event,
        Instant.parse("2026-01-22T09:05:30Z"),
        Notice.monitorUrl(PUBLIC_URL, event));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void slackMessagesMatchTheirGoldenFiles(Language language) {
    String lang = language.wireName();
    Golden.assertJson("slack-opened-" + lang + ".json", SlackMessage.render(opened(), language));
    Golden.assertJson(
        "slack-resolved-" + lang + ".json", SlackMessage.render(resolved(), language));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void teamsMessagesMatchTheirGoldenFiles(Language language) {
    String lang = language.wireName();
    Golden.assertJson("teams-opened-" + lang + ".json", TeamsMessage.render(opened(), language));
    Golden.assertJson(
        "teams-resolved-" + lang + ".json", TeamsMessage.render(resolved(), language));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void emailsMatchTheirGoldenFiles(Language language) {
    String lang = language.wireName();
    EmailMessage opened = EmailMessage.render(opened(), language);
    EmailMessage resolved = EmailMessage.render(resolved(), language);
    Golden.assertText("email-opened-" + lang + ".txt", opened.subject() + "\n\n" + opened.body());
    Golden.assertText(
        "email-resolved-" + lang + ".txt", resolved.subject() + "\n\n" + resolved.body());
  }

  @org.junit.jupiter.api.Test
  void slackEscapesMrkdwnAndLinksTheMonitorPage() {
    JsonNode slack = EventJson.mapper().readTree(SlackMessage.render(opened(), Language.JA));

    assertThat(slack.get("text").asString()).contains("&lt;本番&gt; &amp; 集計").doesNotContain("<本番>");
    String excerpt = slack.get("blocks").get(2).get("text").get("text").asString();
    assertThat(excerpt).contains("ValueError: &lt;bad&gt; &amp; \"worse\"");
    assertThat(slack.get("blocks").get(4).get("elements").get(0).get("url").asString())
        .isEqualTo("https://portal.example.co.jp/monitors/" + MONITOR);
  }

  @org.junit.jupiter.api.Test
  void slackCutsAHugeMessageToTheSectionLimitWithoutSplittingAnEntity() {
    MonitorStatusChanged base = failedEvent();
    String huge = "<&>".repeat(5000) + "😀".repeat(3000);
    MonitorStatusChanged event =
        new MonitorStatusChanged(
            1,
            base.eventId(),
            base.monitorId(),
            base.taskKey(),
            "x".repeat(400),
            base.kind(),
            base.machineName(),
            base.previousStatus(),
            base.status(),
            base.failureStreak(),
            base.reportId(),
            base.occurredAt(),
            base.exitCode(),
            huge);
    Notice notice = new Notice(NoticeKind.OPENED, event, null, URI.create("https://p/monitors/1"));

    JsonNode slack = EventJson.mapper().readTree(SlackMessage.render(notice, Language.EN));

    String section = slack.get("blocks").get(2).get("text").get("text").asString();
    assertThat(section.length()).isLessThanOrEqualTo(SlackMessage.SECTION_LIMIT);
    assertThat(section).endsWith("…```").doesNotContain("&am…").doesNotContain("&l…");
    assertThat(slack.get("blocks").get(0).get("text").get("text").asString().length())
        .isLessThanOrEqualTo(SlackMessage.HEADER_LIMIT);
  }

  @org.junit.jupiter.api.Test
  void teamsStaysWithin24KilobytesForAHugeMessage() {
    MonitorStatusChanged base = failedEvent();
    MonitorStatusChanged event =
        new MonitorStatusChanged(
            1,
            base.eventId(),
            base.monitorId(),
            base.taskKey(),
            "長".repeat(2000),
            base.kind(),
            "機".repeat(2000),
            base.previousStatus(),
            base.status(),
            base.failureStreak(),
            base.reportId(),
            base.occurredAt(),
            base.exitCode(),
            "漢字".repeat(20000));
    Notice notice = new Notice(NoticeKind.OPENED, event, null, URI.create("https://p/monitors/1"));

    String teams = TeamsMessage.render(notice, Language.JA);

    assertThat(teams.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(TeamsMessage.MAX_BYTES);
    JsonNode attachment = EventJson.mapper().readTree(teams).get("attachments").get(0);
    assertThat(attachment.get("contentType").asString())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
  }

  @org.junit.jupiter.api.Test
  void emailSubjectCannotCarryANewHeader() {
    MonitorStatusChanged base = failedEvent();
    MonitorStatusChanged event =
        new MonitorStatusChanged(
            1,
            base.eventId(),
            base.monitorId(),
            base.taskKey(),
            "job\r\nBcc: evil@example.com",
            base.kind(),
            base.machineName(),
            base.previousStatus(),
            base.status(),
            base.failureStreak(),
            base.reportId(),
            base.occurredAt(),
            base.exitCode(),
            "x");
    Notice notice = new Notice(NoticeKind.OPENED, event, null, URI.create("https://p/monitors/1"));

    assertThat(EmailMessage.render(notice, Language.EN).subject()).doesNotContain("\r", "\n");
  }
}
