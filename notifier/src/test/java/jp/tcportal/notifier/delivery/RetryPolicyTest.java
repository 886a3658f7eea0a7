package jp.tcportal.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Random;
import jp.tcportal.notifier.NotifierSettings;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final NotifierSettings settings =
      new NotifierSettings(
          "g",
          URI.create("http://x"),
          "k",
          false,
          Duration.ofSeconds(1),
          50,
          4,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofMinutes(10),
          Duration.ofHours(1),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          "a@b",
          1,
          4);
  private final RetryPolicy policy = new RetryPolicy(settings, new Random(42));

  @Test
  void doublesTheDelayWithJitterUpToTheMaximum() {
    for (int attempt = 1; attempt <= 12; attempt++) {
      long base = Math.min(10_000L << (attempt - 1), 600_000L);
      Duration delay = policy.delay(attempt, null);
      assertThat(delay.toMillis()).isBetween(base / 2, base);
    }
  }

  @Test
  void waitsAtLeastAsLongAsRetryAfterButNeverPastTheGiveUpTime() {
    assertThat(policy.delay(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
    assertThat(policy.delay(1, Duration.ofDays(365))).isEqualTo(Duration.ofHours(1));
    assertThat(policy.delay(1, Duration.ofSeconds(1)).toMillis()).isBetween(5_000L, 10_000L);
  }
}
