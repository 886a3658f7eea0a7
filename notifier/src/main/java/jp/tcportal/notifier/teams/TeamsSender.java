package jp.tcportal.notifier.teams;

import java.util.Map;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.ChannelSender;
import jp.tcportal.notifier.send.JsonPoster;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.notifier.send.SendOutcome;
import org.springframework.stereotype.Component;

/**
 * Posts to a Teams Workflows webhook, which answers 202 Accepted. 401, 403 and 404 mean the flow
 * was deleted, turned off or its signature revoked: the channel is disabled.
 */
@Component
class TeamsSender implements ChannelSender {

  private final JsonPoster poster;

  TeamsSender(JsonPoster poster) {
    this.poster = poster;
  }

  @Override
  public ChannelType type() {
    return ChannelType.TEAMS;
  }

  @Override
  public SendOutcome send(Channel channel, Outbound outbound) {
    JsonPoster.Result result =
        poster.post(
            channel.url(), TeamsMessage.render(outbound.notice(), channel.language()), Map.of());
    if (result.failure() != null) {
      return result.failure();
    }
    JsonPoster.Answer answer = result.answer();
    if (answer.ok()) {
      return SendOutcome.sent();
    }
    int status = answer.status();
    if (status == 401 || status == 403 || status == 404) {
      return SendOutcome.disable("Teams: " + answer.describe());
    }
    if (answer.transient_()) {
      return SendOutcome.retry("Teams: " + answer.describe(), answer.retryAfter());
    }
    return SendOutcome.rejected("Teams: " + answer.describe());
  }
}
