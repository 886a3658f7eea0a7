package jp.tcportal.notifier.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jp.tcportal.notifier.message.NoticeKind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The SQL of {@code notification_deliveries}, in one place. */
@Repository
class DeliveryLedger {

  private final JdbcTemplate jdbc;

  DeliveryLedger(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records one delivery; a redelivered event finds its row already there and adds nothing.
   *
   * @return whether a row was added
   */
  boolean record(
      UUID eventId,
      UUID channelId,
      UUID monitorId,
      String eventJson,
      NoticeKind notice,
      Instant incidentOpenedAt) {
    return jdbc.update(
            "INSERT INTO notification_deliveries"
                + " (event_id, channel_id, monitor_id, event_json, notice, incident_opened_at)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (event_id, channel_id) DO NOTHING",
            eventId,
            channelId,
            monitorId,
            eventJson,
            notice.wireName(),
            incidentOpenedAt == null ? null : Timestamp.from(incidentOpenedAt))
        == 1;
  }

  /**
   * Whether people want to hear about this monitor: an admin may have disabled it on the dashboard
   * ({@code task_monitors.enabled}, the spec's column). A monitor the processor has not stored yet
   * counts as enabled. The event will carry {@code enabled} itself with the incident events of
   * issue 13; until then this reads the monitor's row.
   */
  boolean monitorEnabled(UUID monitorId) {
    List<Boolean> enabled =
        jdbc.queryForList(
            "SELECT enabled FROM task_monitors WHERE id = ?", Boolean.class, monitorId);
    return enabled.isEmpty() || Boolean.TRUE.equals(enabled.get(0));
  }

  /**
   * When the open incident of a monitor began, as far as the ledger knows: the latest opened notice
   * at or before {@code before}. Null when no channel heard about the opening.
   */
  Instant openedAt(UUID monitorId, Instant before) {
    Timestamp at =
        jdbc.queryForObject(
            "SELECT max(incident_opened_at) FROM notification_deliveries"
                + " WHERE monitor_id = ? AND notice = 'opened' AND incident_opened_at <= ?",
            Timestamp.class,
            monitorId,
            Timestamp.from(before));
    return at == null ? null : at.toInstant();
  }

  /**
   * Claims due deliveries, at most one per (monitor, channel) and only the oldest open one of each,
   * so a "resolved" never overtakes the "opened" before it, even while that one waits for a retry.
   * The claim is a lease: the row stays open, hidden until {@code lease} has passed, so a worker
   * killed mid-send leaves it to be sent again, and the lock is held only for this statement's
   * transaction, not during the send. SKIP LOCKED lets several workers claim side by side.
   */
  List<ClaimedDelivery> claim(int limit, Duration lease) {
    return jdbc.query(
        "WITH due AS ("
            + "  SELECT d.id FROM notification_deliveries d"
            + "  JOIN notification_channels c ON c.id = d.channel_id AND c.enabled"
            + "  WHERE d.state IN ('pending', 'retrying') AND d.next_attempt_at <= now()"
            + "    AND NOT EXISTS (SELECT 1 FROM notification_deliveries o"
            + "      WHERE o.channel_id = d.channel_id AND o.monitor_id = d.monitor_id"
            + "        AND o.state IN ('pending', 'retrying') AND o.id < d.id)"
            + "  ORDER BY d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED)"
            + " UPDATE notification_deliveries d"
            + " SET attempts = d.attempts + 1, next_attempt_at = now() + ? * interval '1 millisecond'"
            + " FROM due WHERE d.id = due.id"
            + " RETURNING d.id, d.event_id, d.channel_id, d.monitor_id, d.event_json::text AS event_json,"
            + "   d.notice, d.incident_opened_at, d.attempts, d.created_at",
        (rs, i) -> {
          Timestamp opened = rs.getTimestamp("incident_opened_at");
          return new ClaimedDelivery(
              rs.getLong("id"),
              rs.getObject("event_id", UUID.class),
              rs.getObject("channel_id", UUID.class),
              rs.getObject("monitor_id", UUID.class),
              rs.getString("event_json"),
              NoticeKind.fromWire(rs.getString("notice")),
              opened == null ? null : opened.toInstant(),
              rs.getInt("attempts"),
              rs.getTimestamp("created_at").toInstant());
        },
        limit,
        lease.toMillis());
  }

  void sent(long id) {
    jdbc.update(
        "UPDATE notification_deliveries SET state = 'sent', sent_at = now(), last_error = NULL"
            + " WHERE id = ?",
        id);
  }

  void retryAt(long id, Instant next, String error) {
    jdbc.update(
        "UPDATE notification_deliveries SET state = 'retrying', next_attempt_at = ?, last_error = ?"
            + " WHERE id = ?",
        Timestamp.from(next),
        error,
        id);
  }

  /** Hands a claimed delivery back for later without counting the attempt (rate limit). */
  void postpone(long id, Instant at) {
    jdbc.update(
        "UPDATE notification_deliveries SET attempts = attempts - 1, next_attempt_at = ?"
            + " WHERE id = ?",
        Timestamp.from(at),
        id);
  }

  void dead(long id, String error) {
    jdbc.update(
        "UPDATE notification_deliveries SET state = 'dead', last_error = ? WHERE id = ?",
        error,
        id);
  }

  /** Open deliveries of enabled channels, and the age in seconds of the oldest (0 if none). */
  QueueState queueState() {
    return jdbc.queryForObject(
        "SELECT count(*) AS open,"
            + " coalesce(extract(epoch FROM now() - min(d.created_at)), 0) AS oldest"
            + " FROM notification_deliveries d JOIN notification_channels c"
            + " ON c.id = d.channel_id AND c.enabled"
            + " WHERE d.state IN ('pending', 'retrying')",
        (rs, i) -> new QueueState(rs.getLong("open"), rs.getDouble("oldest")));
  }

  record QueueState(long open, double oldestAgeSeconds) {}
}
