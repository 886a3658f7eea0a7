package jp.tcportal.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import jp.tcportal.notifier.channel.ChannelType;
import org.springframework.stereotype.Component;

/**
 * Counts delivery attempts by channel type and outcome, and keeps the queue figures the worker
 * measured last (a gauge reads them; scraping never queries the database).
 */
@Component
class DeliveryMetrics {

  /** What the last worker pass saw, for the gauges and the health indicator. */
  record Snapshot(
      long open, double oldestAgeSeconds, Instant lastPass, boolean lastPassFailed, String error) {}

  private final MeterRegistry meters;
  private final Clock clock = Clock.systemUTC();
  private final AtomicReference<Snapshot> last =
      new AtomicReference<>(new Snapshot(0, 0, null, false, null));

  DeliveryMetrics(MeterRegistry meters) {
    this.meters = meters;
    Gauge.builder("tcportal.notifier.queue.age", last, s -> s.get().oldestAgeSeconds())
        .description("Age of the oldest open delivery (pending or retrying)")
        .baseUnit("seconds")
        .register(meters);
    Gauge.builder("tcportal.notifier.queue.open", last, s -> s.get().open())
        .description("Open deliveries (pending or retrying) of enabled channels")
        .register(meters);
  }

  void outcome(ChannelType type, String outcome) {
    Counter.builder("tcportal.notifier.deliveries")
        .description("Delivery attempts by channel type and outcome")
        .tag("type", type == null ? "unknown" : type.wireName())
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  void queue(DeliveryLedger.QueueState state) {
    last.updateAndGet(
        s ->
            new Snapshot(
                state.open(),
                state.oldestAgeSeconds(),
                s.lastPass(),
                s.lastPassFailed(),
                s.error()));
  }

  void passSucceeded() {
    last.updateAndGet(
        s -> new Snapshot(s.open(), s.oldestAgeSeconds(), clock.instant(), false, null));
  }

  void passFailed(Exception e) {
    last.updateAndGet(
        s -> new Snapshot(s.open(), s.oldestAgeSeconds(), s.lastPass(), true, e.toString()));
  }

  Snapshot snapshot() {
    return last.get();
  }
}
