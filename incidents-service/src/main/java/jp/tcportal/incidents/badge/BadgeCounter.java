package jp.tcportal.incidents.badge;

import jp.tcportal.incidents.monitor.MonitorRepository;
import org.springframework.stereotype.Component;

/** Counts failing monitors for the badge; templates call it as {@code @badgeCounter.count()}. */
@Component("badgeCounter")
public class BadgeCounter {

  private final MonitorRepository monitors;

  BadgeCounter(MonitorRepository monitors) {
    this.monitors = monitors;
  }

  /** Monitors with {@code last_status = 'failed' AND enabled = true}; the badge hides at 0. */
  public long count() {
    return monitors.countFailing();
  }
}
