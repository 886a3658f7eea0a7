package jp.tcportal.notifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelFilter;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.channel.Language;
import jp.tcportal.notifier.channel.TargetRules;
import jp.tcportal.notifier.message.Notice;
import jp.tcportal.notifier.message.NoticeKind;
import jp.tcportal.notifier.send.JsonPoster;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;

/** A poster for loopback capture servers, and a ready outbound notice, for sender tests. */
public final class TestPosters {

  private TestPosters() {}

  public static JsonPoster loopback() {
    NotifierSettings settings =
        new NotifierSettings(
            "g",
            URI.create("http://x"),
            "k",
            true,
            Duration.ofSeconds(1),
            50,
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            Duration.ofSeconds(4),
            Duration.ofSeconds(30),
            "a@b",
            1,
            4);
    return new JsonPoster(
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
        new TargetRules(true),
        settings);
  }

  public static Channel channel(ChannelType type, String url, String secret) {
    return new Channel(
        UUID.randomUUID(), "t", type, url, secret, List.of(), Language.EN, ChannelFilter.ANY);
  }

  public static Outbound opened() {
    MonitorStatusChanged event = Events.failed("k", "PC-01", 1, 1, "boom", Instant.now());
    return new Outbound(
        new Notice(NoticeKind.OPENED, event, null, URI.create("https://p/monitors/1")),
        EventJson.mapper().writeValueAsString(event));
  }
}
