package jp.tcportal.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import jp.tcportal.notifier.Events;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.report.Kind;
import org.junit.jupiter.api.Test;

class ChannelFilterTest {

  private final MonitorStatusChanged event =
      Events.failed("nightly.import", "PC-Tokyo-01", 1, 2, "x", Instant.EPOCH);

  @Test
  void anEmptyFilterMatchesEverything() {
    assertThat(ChannelFilter.ANY.matches(event)).isTrue();
  }

  @Test
  void matchesTaskKeyGlobsExactlyAndMachineGlobsIgnoringCase() {
    assertThat(new ChannelFilter("nightly.*", null, null).matches(event)).isTrue();
    assertThat(new ChannelFilter("Nightly.*", null, null).matches(event)).isFalse();
    assertThat(new ChannelFilter("nightly?import", null, null).matches(event)).isTrue();
    assertThat(new ChannelFilter("nightlyximport", null, null).matches(event))
        .as("a dot is a literal, not a regex wildcard")
        .isFalse();
    assertThat(new ChannelFilter(null, "pc-tokyo-*", null).matches(event)).isTrue();
    assertThat(new ChannelFilter(null, "PC-Osaka-*", null).matches(event)).isFalse();
  }

  @Test
  void matchesKind() {
    assertThat(new ChannelFilter(null, null, Kind.PYTHON).matches(event)).isTrue();
    assertThat(new ChannelFilter(null, null, Kind.BAT).matches(event)).isFalse();
  }
}
