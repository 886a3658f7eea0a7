package jp.tcportal.notifier.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;
import jp.tcportal.notifier.NotifierSettings;

/**
 * The pause before the next attempt: the initial delay doubled per attempt up to the maximum, with
 * "equal jitter" (between half and all of it) so that channels failing together do not retry in
 * lock step. A {@code Retry-After} longer than that wins, capped at the give-up time so a hostile
 * answer cannot park a delivery for a year.
 */
final class RetryPolicy {

  private final Duration initial;
  private final Duration max;
  private final Duration giveUpAfter;
  private final RandomGenerator random;

  RetryPolicy(NotifierSettings settings, RandomGenerator random) {
    this.initial = settings.retryInitialDelay();
    this.max = settings.retryMaxDelay();
    this.giveUpAfter = settings.giveUpAfter();
    this.random = random;
  }

  /** The delay after attempt number {@code attempts} (1 after the first attempt). */
  Duration delay(int attempts, Duration retryAfter) {
    long base = initial.toMillis();
    for (int i = 1; i < attempts && base < max.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toMillis());
    long jittered = base / 2 + (base / 2 == 0 ? 0 : random.nextLong(base - base / 2 + 1));
    Duration delay = Duration.ofMillis(jittered);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter.compareTo(giveUpAfter) > 0 ? giveUpAfter : retryAfter;
    }
    return delay;
  }
}
