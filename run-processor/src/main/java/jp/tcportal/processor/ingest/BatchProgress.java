package jp.tcportal.processor.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** What the listener last did, for the health endpoint. */
@Component
class BatchProgress {

  private final Clock clock = Clock.systemUTC();
  private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
  private final AtomicReference<Instant> failingSince = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicLong records = new AtomicLong();

  void succeeded(int batchSize) {
    lastSuccess.set(clock.instant());
    failingSince.set(null);
    lastError.set(null);
    consecutiveFailures.set(0);
    records.addAndGet(batchSize);
  }

  void failed(Exception e) {
    failingSince.compareAndSet(null, clock.instant());
    lastError.set(e.toString());
    consecutiveFailures.incrementAndGet();
  }

  Instant lastSuccess() {
    return lastSuccess.get();
  }

  Instant failingSince() {
    return failingSince.get();
  }

  String lastError() {
    return lastError.get();
  }

  long consecutiveFailures() {
    return consecutiveFailures.get();
  }

  long records() {
    return records.get();
  }
}
