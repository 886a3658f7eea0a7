package jp.tcportal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTests {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @Test
  void letsABurstThroughThenSaysHowLongToWait() {
    TokenBuckets buckets = new TokenBuckets(3, 60, 100, clock::get);

    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isZero();
    Duration wait = buckets.take("a");

    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refillsAtTheConfiguredRate() {
    TokenBuckets buckets = new TokenBuckets(1, 6, 100, clock::get);
    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));

    clock.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isPositive();
  }

  @Test
  void keepsEveryKeyApart() {
    TokenBuckets buckets = new TokenBuckets(1, 1, 100, clock::get);

    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isPositive();
    assertThat(buckets.take("b")).isZero();
  }

  @Test
  void forgetsIdleKeysWhenItTracksTooMany() {
    TokenBuckets buckets = new TokenBuckets(2, 60, 3, clock::get);
    buckets.take("a");
    buckets.take("b");
    buckets.take("c");
    clock.addAndGet(Duration.ofMinutes(1).toNanos());

    assertThat(buckets.take("d")).isZero();

    assertThat(buckets.trackedKeys()).isLessThanOrEqualTo(3);
  }

  @Test
  void neverGrowsPastItsBoundEvenWhenEveryoneIsBusy() {
    TokenBuckets buckets = new TokenBuckets(5, 1, 10, clock::get);
    for (int i = 0; i < 1_000; i++) {
      buckets.take("client-" + i);
    }

    assertThat(buckets.trackedKeys()).isLessThanOrEqualTo(10);
  }

  @Test
  void keepsTheBucketOfAClientThatKeepsSendingWhileNewAddressesFloodTheTable() {
    TokenBuckets buckets = new TokenBuckets(2, 1, 3, clock::get);
    assertThat(buckets.take("attacker")).isZero();
    assertThat(buckets.take("attacker")).isZero();

    for (int i = 0; i < 1_000; i++) {
      buckets.take("client-" + i);
      assertThat(buckets.take("attacker")).as("after %d new addresses", i + 1).isPositive();
    }

    assertThat(buckets.trackedKeys()).isLessThanOrEqualTo(3);
  }

  @Test
  void evictsTheLeastRecentlyUsedKeyFirst() {
    TokenBuckets buckets = new TokenBuckets(1, 1, 2, clock::get);
    buckets.take("old");
    buckets.take("recent");
    buckets.take("recent");

    buckets.take("new");

    // "recent" is still limited (kept), "old" was forgotten and starts full again.
    assertThat(buckets.take("recent")).isPositive();
    assertThat(buckets.take("old")).isZero();
  }
}
