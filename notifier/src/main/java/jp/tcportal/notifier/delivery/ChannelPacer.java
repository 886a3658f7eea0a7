package jp.tcportal.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces the sends to one channel so Slack (about 1 per second) and Teams (about 4 per second)
 * never throttle a flood: each send reserves the channel's next free slot. The slots live in this
 * process; two notifier instances each keep their own pace.
 */
final class ChannelPacer {

  private final Map<UUID, Instant> nextFree = new ConcurrentHashMap<>();

  /** Reserves the next slot of {@code channel} at or after {@code now}; returns its start. */
  Instant reserve(UUID channel, Duration spacing, Instant now) {
    Instant after =
        nextFree.compute(
            channel, (id, free) -> (free == null || free.isBefore(now) ? now : free).plus(spacing));
    return after.minus(spacing);
  }
}
