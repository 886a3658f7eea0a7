package jp.tcportal.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChannelPacerTest {

  private final ChannelPacer pacer = new ChannelPacer();
  private final Instant t0 = Instant.parse("2026-01-22T09:00:00Z");

  @Test
  void givesBackToBackSendsToOneChannelSlotsOneSpacingApart() {
    UUID slack = UUID.randomUUID();
    Duration second = Duration.ofSeconds(1);

    assertThat(pacer.reserve(slack, second, t0)).isEqualTo(t0);
    assertThat(pacer.reserve(slack, second, t0)).isEqualTo(t0.plusSeconds(1));
    assertThat(pacer.reserve(slack, second, t0.plusMillis(100))).isEqualTo(t0.plusSeconds(2));
  }

  @Test
  void keepsChannelsApartAndForgetsIdleTime() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    Duration quarter = Duration.ofMillis(250);

    pacer.reserve(a, quarter, t0);
    assertThat(pacer.reserve(b, quarter, t0)).isEqualTo(t0);
    assertThat(pacer.reserve(a, quarter, t0.plusSeconds(10))).isEqualTo(t0.plusSeconds(10));
  }
}
