package jp.tcportal.gateway.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import jp.tcportal.schema.report.Leniency;
import org.springframework.stereotype.Component;

/**
 * {@code tcportal.reports.accepted}, {@code tcportal.reports.rejected{reason}}, {@code
 * tcportal.gateway.reports.lenient{kind}} (what was accepted as the spec's server did: an assumed
 * zone, cut text, a non-JSON Content-Type, a rounded or negative duration) and {@code
 * tcportal.gateway.reports.idempotency.conflicts}. Every tag value is registered up front, so
 * dashboards show a zero rather than nothing.
 */
@Component
class ReportMetrics {

  private final Counter accepted;
  private final Counter unavailableWithoutKey;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
  private final Map<Leniency, Counter> lenient = new EnumMap<>(Leniency.class);
  private final Counter lenientContentType;
  private final Counter idempotencyConflicts;

  ReportMetrics(MeterRegistry meters) {
    this.accepted =
        Counter.builder("tcportal.reports.accepted")
            .description("Reports the broker acknowledged")
            .register(meters);
    this.unavailableWithoutKey =
        Counter.builder("tcportal.reports.unavailable.without.key")
            .description(
                "503 answers to requests without Idempotency-Key: each retry may store the run twice")
            .register(meters);
    for (Rejection rejection : Rejection.values()) {
      rejected.put(
          rejection,
          Counter.builder("tcportal.reports.rejected")
              .description("Reports refused, by reason")
              .tag("reason", rejection.reason())
              .register(meters));
    }
    for (Leniency leniency : Leniency.values()) {
      lenient.put(leniency, lenientCounter(meters, leniency.kind()));
    }
    this.lenientContentType = lenientCounter(meters, "content_type");
    this.idempotencyConflicts =
        Counter.builder("tcportal.gateway.reports.idempotency.conflicts")
            .description("Idempotency-Keys reused for a different report of one task, answered 409")
            .register(meters);
  }

  private static Counter lenientCounter(MeterRegistry meters, String kind) {
    return Counter.builder("tcportal.gateway.reports.lenient")
        .description("Reports accepted as the spec's server did, by kind (docs/monitoring/SPEC.md)")
        .tag("kind", kind)
        .register(meters);
  }

  void lenient(Iterable<Leniency> leniencies) {
    for (Leniency leniency : leniencies) {
      lenient.get(leniency).increment();
    }
  }

  void lenientContentType() {
    lenientContentType.increment();
  }

  void idempotencyConflict() {
    idempotencyConflicts.increment();
  }

  void accepted() {
    accepted.increment();
  }

  void unavailableWithoutKey() {
    unavailableWithoutKey.increment();
  }

  void rejected(Rejection rejection) {
    rejected.get(rejection).increment();
  }
}
