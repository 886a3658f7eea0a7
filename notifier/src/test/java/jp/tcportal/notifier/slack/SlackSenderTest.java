package jp.tcportal.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import jp.tcportal.notifier.CaptureServer;
import jp.tcportal.notifier.CaptureServer.Answer;
import jp.tcportal.notifier.TestPosters;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.send.SendOutcome.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackSenderTest {

  private static final CaptureServer SLACK = new CaptureServer();

  @AfterAll
  static void stop() {
    SLACK.close();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "200, ok, SENT",
    "404, no_service, DISABLE",
    "404, channel_not_found, DISABLE",
    "403, invalid_token, DISABLE",
    "410, channel_is_archived, DISABLE",
    "400, invalid_blocks, REJECTED",
    "429, rate_limited, RETRY",
    "408, timeout, RETRY",
    "500, oops, RETRY",
    "503, busy, RETRY"
  })
  void readsSlacksAnswers(int status, String body, Result expected) {
    String path = "/slack/" + UUID.randomUUID();
    SLACK.script(path, Answer.of(status, body));

    var outcome =
        new SlackSender(TestPosters.loopback())
            .send(
                TestPosters.channel(ChannelType.SLACK, SLACK.url(path), null),
                TestPosters.opened());

    assertThat(outcome.result()).isEqualTo(expected);
    if (expected != Result.SENT) {
      assertThat(outcome.detail()).contains("HTTP " + status).contains(body);
    }
  }
}
