package jp.tcportal.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentIdempotencyKeysTests {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private final AtomicLong now = new AtomicLong();

  private RecentIdempotencyKeys keys(int capacity, Duration age) {
    return new RecentIdempotencyKeys(capacity, age, now::get);
  }

  @Test
  void acceptsARetryAndRefusesADifferentReportUnderOneId() {
    RecentIdempotencyKeys keys = keys(10, Duration.ofHours(1));
    UUID id = UUID.randomUUID();

    assertThat(keys.claim(id, A)).isTrue();
    assertThat(keys.claim(id, A)).isTrue();
    assertThat(keys.claim(id, B)).isFalse();
    assertThat(keys.claim(UUID.randomUUID(), B)).isTrue();
  }

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsSize() {
    RecentIdempotencyKeys keys = keys(2, Duration.ofHours(1));
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    keys.claim(first, A);
    keys.claim(second, A);
    keys.claim(first, A); // used again: now the second is the least recently used

    keys.claim(UUID.randomUUID(), A);

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.claim(first, B)).as("still remembered").isFalse();
    assertThat(keys.claim(second, B)).as("forgotten").isTrue();
  }

  @Test
  void forgetsAKeyOlderThanItsAge() {
    RecentIdempotencyKeys keys = keys(10, Duration.ofMinutes(5));
    UUID id = UUID.randomUUID();
    keys.claim(id, A);

    now.addAndGet(Duration.ofMinutes(6).toNanos());

    assertThat(keys.claim(id, B)).isTrue();
    assertThat(keys.claim(id, A)).as("the newer report is remembered now").isFalse();
  }

  @Test
  void remembersNothingWhenTurnedOff() {
    RecentIdempotencyKeys keys = keys(0, Duration.ofHours(1));
    UUID id = UUID.randomUUID();
    assertThat(keys.claim(id, A)).isTrue();
    assertThat(keys.claim(id, B)).isTrue();
    assertThat(keys.size()).isZero();
  }
}
