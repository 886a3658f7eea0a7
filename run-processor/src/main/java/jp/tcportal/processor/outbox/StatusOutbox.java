package jp.tcportal.processor.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.topic.Topics;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes status events into {@code tcportal_event_outbox} inside the transaction that changes the
 * state they describe.
 *
 * <p>Publishing straight to Kafka after the commit would lose the event if the process died between
 * the commit and the publish (and publishing before the commit would announce a state that a
 * rollback then undoes). In the outbox the event commits or rolls back together with the state;
 * {@link OutboxRelay} publishes it afterwards, at least once.
 */
@Component
public class StatusOutbox {

  /**
   * The advisory lock the relay holds while it publishes; any constant shared by all replicas
   * ("tcoutbox" in ASCII, as a number). Whoever holds it is the one relay at work.
   */
  public static final long RELAY_LOCK = 0x7463_6f75_7462_6f78L;

  private static final String INSERT =
      """
      INSERT INTO tcportal_event_outbox (topic, event_key, payload)
      SELECT ?, e.event_key, e.payload::jsonb
      FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS e(event_key, payload, position)
      ORDER BY e.position
      """;

  private final JdbcTemplate jdbc;

  StatusOutbox(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Appends the events in order; ids grow in that order, and the relay publishes by id. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void append(List<MonitorStatusChanged> events) {
    if (events.isEmpty()) {
      return;
    }
    String[] keys = new String[events.size()];
    String[] payloads = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      keys[i] = events.get(i).monitorId().toString();
      payloads[i] = EventJson.mapper().writeValueAsString(events.get(i));
    }
    jdbc.update(
        INSERT,
        ps -> {
          Connection connection = ps.getConnection();
          ps.setString(1, Topics.MONITOR_STATUS_CHANGED.name());
          ps.setArray(2, textArray(connection, keys));
          ps.setArray(3, textArray(connection, payloads));
        });
  }

  private static Array textArray(Connection connection, String[] values) throws SQLException {
    return connection.createArrayOf("text", values);
  }
}
