package jp.tcportal.gateway.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per key: {@code capacity} tokens, refilled at {@code perMinute} a minute. A
 * request takes one token or is told how long until the next one. At most {@code maxKeys} buckets
 * are kept; beyond that the least recently used one is dropped. An idle client loses nothing by
 * that (a new bucket starts full too), and a client that keeps sending stays the most recently
 * used, so flooding the table with new addresses cannot reset its own bucket.
 */
final class TokenBuckets {

  private final long capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoClock;

  /** Access-ordered: iteration starts at the least recently used key. Guarded by {@code this}. */
  private final LinkedHashMap<Object, Bucket> buckets;

  TokenBuckets(int capacity, int perMinute, int maxKeys, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.tokensPerNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    this.nanoClock = nanoClock;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** {@link Duration#ZERO} when the request may pass, otherwise how long until it would. */
  synchronized Duration take(Object key) {
    long now = nanoClock.getAsLong();
    // get() moves the key to the most recently used end; a new key may evict the eldest.
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new Bucket(capacity, now);
      buckets.put(key, bucket);
    }
    return bucket.take(now);
  }

  synchronized int trackedKeys() {
    return buckets.size();
  }

  /** Not thread-safe by itself: only used under the lock of {@link TokenBuckets}. */
  private final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(long tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    Duration take(long now) {
      tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
    }
  }
}
