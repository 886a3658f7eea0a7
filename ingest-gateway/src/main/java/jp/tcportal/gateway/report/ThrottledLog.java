package jp.tcportal.gateway.report;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs a repeated warning at most once per interval, with how many were left out since, so an
 * outage at thousands of requests a second does not flood the log.
 */
final class ThrottledLog {

  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  ThrottledLog(Logger log, String what, Duration interval) {
    this.log = log;
    this.what = what;
    this.intervalNanos = interval.toNanos();
  }

  void warn(Supplier<String> detail) {
    long now = System.nanoTime();
    long allowed = nextAllowed.get();
    if (now - allowed >= 0 && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
      log.warn("{} ({} more since the last line): {}", what, suppressed.getAndSet(0), detail.get());
    } else {
      suppressed.incrementAndGet();
    }
  }
}
