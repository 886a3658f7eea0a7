package jp.tcportal.notifier.message;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import jp.tcportal.schema.event.MonitorStatusChanged;

/**
 * One thing to tell people: the event, what it means, and where to look.
 *
 * @param openedAt for {@link NoticeKind#RESOLVED}, when the incident began (null when unknown)
 * @param monitorUrl the monitor's dashboard page
 */
public record Notice(
    NoticeKind kind, MonitorStatusChanged event, Instant openedAt, URI monitorUrl) {

  /** The dashboard page of a monitor below {@code publicUrl}. */
  public static URI monitorUrl(URI publicUrl, MonitorStatusChanged event) {
    String base = publicUrl.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + "/monitors/"
            + event.monitorId());
  }

  /** How long the incident lasted, for a resolved notice whose start is known. */
  public Duration lasted() {
    if (kind != NoticeKind.RESOLVED || openedAt == null || event.occurredAt() == null) {
      return null;
    }
    Duration lasted = Duration.between(openedAt, event.occurredAt());
    return lasted.isNegative() ? Duration.ZERO : lasted;
  }
}
