package jp.tcportal.notifier.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import jp.tcportal.notifier.CaptureServer;
import jp.tcportal.notifier.CaptureServer.Answer;
import jp.tcportal.notifier.TestPosters;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.SendOutcome.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookSenderTest {

  private static final CaptureServer RECEIVER = new CaptureServer();

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"200, SENT", "204, SENT", "410, DISABLE", "400, RETRY", "302, RETRY", "500, RETRY"})
  void retriesEveryFailureExceptGone(int status, Result expected) {
    String path = "/hook/" + UUID.randomUUID();
    RECEIVER.script(path, Answer.of(status, ""));

    var outcome =
        new WebhookSender(TestPosters.loopback())
            .send(
                TestPosters.channel(
                    ChannelType.WEBHOOK, RECEIVER.url(path), StandardWebhookSignature.newSecret()),
                TestPosters.opened());

    assertThat(outcome.result()).isEqualTo(expected);
  }

  @Test
  void disablesAChannelWithoutSecretInsteadOfSendingUnsigned() {
    String path = "/hook/" + UUID.randomUUID();

    var outcome =
        new WebhookSender(TestPosters.loopback())
            .send(
                TestPosters.channel(ChannelType.WEBHOOK, RECEIVER.url(path), null),
                TestPosters.opened());

    assertThat(outcome.result()).isEqualTo(Result.DISABLE);
    assertThat(RECEIVER.requests(path)).isEmpty();
  }
}
