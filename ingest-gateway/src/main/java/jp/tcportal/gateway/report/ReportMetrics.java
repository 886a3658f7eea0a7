package jp.tcportal.gateway.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code tcportal.reports.accepted} and {@code tcportal.reports.rejected{reason}}. Every reason is
 * registered up front, so dashboards show a zero rather than nothing.
 */
@Component
class ReportMetrics {

  private final Counter accepted;
  private final Counter unavailableWithoutKey;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

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
