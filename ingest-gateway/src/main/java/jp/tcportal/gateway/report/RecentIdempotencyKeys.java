package jp.tcportal.gateway.report;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The report digests of recently used {@code (monitor, Idempotency-Key)} pairs, keyed by the report
 * id derived from them, so a key reused for a different report is answered 409 instead of
 * 200-and-dropped. Bounded in entries (least recently used forgotten first) and in age; what it has
 * forgotten, or what another instance saw, the processor's digest check still catches.
 */
final class RecentIdempotencyKeys {

  private final int capacity;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<UUID, Seen> seen;

  RecentIdempotencyKeys(int capacity, Duration maxAge, LongSupplier nanoTime) {
    this.capacity = capacity;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
    this.seen =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Seen> eldest) {
            return size() > RecentIdempotencyKeys.this.capacity;
          }
        };
  }

  /**
   * Records the report under its id, unless the id was used recently for a report with another
   * digest: then returns false and records nothing. A retry (same digest) returns true.
   */
  synchronized boolean claim(UUID reportId, String digest) {
    if (capacity == 0) {
      return true;
    }
    long now = nanoTime.getAsLong();
    // The first 128 bits of SHA-256 are plenty to tell two reports apart, at a third of the memory.
    byte[] bytes = HexFormat.of().parseHex(digest, 0, 32);
    long high = toLong(bytes, 0);
    long low = toLong(bytes, 8);
    Seen earlier = seen.get(reportId);
    if (earlier != null && now - earlier.at() <= maxAgeNanos) {
      return earlier.high() == high && earlier.low() == low;
    }
    seen.put(reportId, new Seen(high, low, now));
    return true;
  }

  synchronized int size() {
    return seen.size();
  }

  private static long toLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  private record Seen(long high, long low, long at) {}
}
