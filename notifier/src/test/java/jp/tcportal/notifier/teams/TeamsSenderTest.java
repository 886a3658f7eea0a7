package jp.tcportal.notifier.teams;

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

class TeamsSenderTest {

  private static final CaptureServer TEAMS = new CaptureServer();

  @AfterAll
  static void stop() {
    TEAMS.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "202, SENT",
    "200, SENT",
    "401, DISABLE",
    "403, DISABLE",
    "404, DISABLE",
    "400, REJECTED",
    "413, REJECTED",
    "429, RETRY",
    "502, RETRY"
  })
  void readsTeamsAnswers(int status, Result expected) {
    String path = "/teams/" + UUID.randomUUID();
    TEAMS.script(path, Answer.of(status, "x"));

    var outcome =
        new TeamsSender(TestPosters.loopback())
            .send(
                TestPosters.channel(ChannelType.TEAMS, TEAMS.url(path), null),
                TestPosters.opened());

    assertThat(outcome.result()).isEqualTo(expected);
  }
}
