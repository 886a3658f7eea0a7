package jp.tcportal.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import jp.tcportal.notifier.NotifierSettings;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code delivery}: DOWN when the worker's last pass failed (the database is unreachable) or no
 * pass finished for a while (the worker is stuck); the queue figures are shown either way.
 */
@Component("delivery")
class DeliveryHealthIndicator implements HealthIndicator {

  private final DeliveryMetrics metrics;
  private final Duration stale;
  private final Clock clock = Clock.systemUTC();

  DeliveryHealthIndicator(DeliveryMetrics metrics, NotifierSettings settings) {
    this.metrics = metrics;
    this.stale = settings.pollInterval().multipliedBy(5).plus(settings.claimLease());
  }

  @Override
  public Health health() {
    DeliveryMetrics.Snapshot s = metrics.snapshot();
    Health.Builder health =
        s.lastPassFailed()
                || (s.lastPass() != null && s.lastPass().plus(stale).isBefore(clock.instant()))
            ? Health.down()
            : Health.up();
    health
        .withDetail("open_deliveries", s.open())
        .withDetail("oldest_open_age_seconds", Math.round(s.oldestAgeSeconds()));
    if (s.lastPass() != null) {
      health.withDetail("last_pass", s.lastPass().toString());
    }
    if (s.error() != null) {
      health.withDetail("error", s.error());
    }
    return health.build();
  }
}
