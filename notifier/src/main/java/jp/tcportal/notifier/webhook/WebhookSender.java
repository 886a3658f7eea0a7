package jp.tcportal.notifier.webhook;

import java.time.Clock;
import java.util.Map;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.ChannelSender;
import jp.tcportal.notifier.send.JsonPoster;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.notifier.send.SendOutcome;
import org.springframework.stereotype.Component;

/**
 * Posts the event's JSON, one POST per event, signed as Standard Webhooks do. {@code webhook-id} is
 * the event id on every attempt, so a receiver deduplicates retries and the rare resend after a
 * crash. As the specification recommends, any non-2xx answer is retried, except 410 Gone, which
 * disables the channel.
 */
@Component
class WebhookSender implements ChannelSender {

  private final JsonPoster poster;
  private final Clock clock = Clock.systemUTC();

  WebhookSender(JsonPoster poster) {
    this.poster = poster;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEBHOOK;
  }

  @Override
  public SendOutcome send(Channel channel, Outbound outbound) {
    if (channel.secret() == null) {
      return SendOutcome.disable("webhook: the channel has no signing secret");
    }
    String id = outbound.notice().event().eventId().toString();
    long timestamp = clock.instant().getEpochSecond();
    String body = outbound.eventJson();
    JsonPoster.Result result =
        poster.post(
            channel.url(),
            body,
            Map.of(
                "webhook-id", id,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature",
                    StandardWebhookSignature.sign(channel.secret(), id, timestamp, body)));
    if (result.failure() != null) {
      return result.failure();
    }
    JsonPoster.Answer answer = result.answer();
    if (answer.ok()) {
      return SendOutcome.sent();
    }
    if (answer.status() == 410) {
      return SendOutcome.disable("webhook: " + answer.describe());
    }
    if (answer.status() >= 300 && answer.status() < 400) {
      return SendOutcome.retry("webhook: redirects are not followed; " + answer.describe(), null);
    }
    return SendOutcome.retry("webhook: " + answer.describe(), answer.retryAfter());
  }
}
