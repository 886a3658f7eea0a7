package jp.tcportal.notifier.slack;

import java.util.Map;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.ChannelSender;
import jp.tcportal.notifier.send.JsonPoster;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.notifier.send.SendOutcome;
import org.springframework.stereotype.Component;

/**
 * Posts to a Slack incoming webhook. Slack answers {@code 200 ok}; a 404 ({@code no_service},
 * {@code channel_not_found}), a 410 ({@code channel_is_archived}) or {@code invalid_token} mean the
 * webhook is gone, so the channel is disabled rather than retried for an hour.
 */
@Component
class SlackSender implements ChannelSender {

  private final JsonPoster poster;

  SlackSender(JsonPoster poster) {
    this.poster = poster;
  }

  @Override
  public ChannelType type() {
    return ChannelType.SLACK;
  }

  @Override
  public SendOutcome send(Channel channel, Outbound outbound) {
    JsonPoster.Result result =
        poster.post(
            channel.url(), SlackMessage.render(outbound.notice(), channel.language()), Map.of());
    if (result.failure() != null) {
      return result.failure();
    }
    JsonPoster.Answer answer = result.answer();
    if (answer.ok()) {
      return SendOutcome.sent();
    }
    if (answer.status() == 404
        || answer.status() == 410
        || answer.body().contains("invalid_token")
        || answer.body().contains("no_service")) {
      return SendOutcome.disable("Slack: " + answer.describe());
    }
    if (answer.transient_()) {
      return SendOutcome.retry("Slack: " + answer.describe(), answer.retryAfter());
    }
    return SendOutcome.rejected("Slack: " + answer.describe());
  }
}
