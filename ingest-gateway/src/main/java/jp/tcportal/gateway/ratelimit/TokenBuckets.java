package jp.tcportal.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key: {@code capacity} tokens, refilled at {@code perMinute} a minute. A
 * request takes one token or is told how long until the next one. At most {@code maxKeys} buckets
 * are kept; when full, the ones that have refilled completely (idle clients) are dropped, which
 * loses nothing because a new bucket starts full too.
 */
final class TokenBuckets {

  private final long capacity;
  private final double tokensPerNano;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(int capacity, int perMinute, int maxKeys, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.tokensPerNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
  }

  /** {@link Duration#ZERO} when the request may pass, otherwise how long until it would. */
  Duration take(Object key) {
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        forgetIdle(now);
      }
      bucket = buckets.computeIfAbsent(key, absent -> new Bucket(capacity, now));
    }
    return bucket.take(now);
  }

  int trackedKeys() {
    return buckets.size();
  }

  private void forgetIdle(long now) {
    buckets.values().removeIf(bucket -> bucket.isFull(now));
    if (buckets.size() >= maxKeys) {
      // Everyone is busy: forgetting all is fairer than refusing new clients outright.
      buckets.clear();
    }
  }

  private final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(long tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    synchronized Duration take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
      refilledAt = now;
    }
  }
}
