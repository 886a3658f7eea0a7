package jp.tcportal.notifier.channel;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.secret.ChannelCrypto;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads {@code notification_channels} (written by the incidents service) and disables a channel
 * whose target answered that it is gone. Sealed values open with the context {@code <id>/url} and
 * {@code <id>/secret}, the convention both services follow.
 */
@Repository
public class ChannelStore {

  private final JdbcTemplate jdbc;
  private final ChannelCrypto crypto;

  ChannelStore(JdbcTemplate jdbc, ChannelCrypto crypto) {
    this.jdbc = jdbc;
    this.crypto = crypto;
  }

  public static String urlContext(UUID channelId) {
    return channelId + "/url";
  }

  public static String secretContext(UUID channelId) {
    return channelId + "/secret";
  }

  /** Every enabled channel's type and filter; no secret is opened for this. */
  public List<ChannelRoute> enabledRoutes() {
    return jdbc.query(
        "SELECT id, type, filter::text AS filter FROM notification_channels WHERE enabled",
        (rs, i) ->
            new ChannelRoute(
                rs.getObject("id", UUID.class),
                ChannelType.fromWire(rs.getString("type")),
                filter(rs.getString("filter"))));
  }

  /** The channel with its URL and secret opened, if it exists and is enabled. */
  public Optional<Channel> openEnabled(UUID id) {
    return jdbc
        .query(
            "SELECT id, name, type, url_encrypted, secret_encrypted, to_addresses, language,"
                + " filter::text AS filter FROM notification_channels WHERE id = ? AND enabled",
            (rs, i) -> open(rs),
            id)
        .stream()
        .findFirst();
  }

  /** Turns a channel off with the reason people will see on the channels page. */
  public void disable(UUID id, String reason) {
    jdbc.update(
        "UPDATE notification_channels SET enabled = false, disabled_reason = ?, updated_at = now()"
            + " WHERE id = ?",
        reason,
        id);
  }

  private Channel open(ResultSet rs) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    byte[] url = rs.getBytes("url_encrypted");
    byte[] secret = rs.getBytes("secret_encrypted");
    Array to = rs.getArray("to_addresses");
    return new Channel(
        id,
        rs.getString("name"),
        ChannelType.fromWire(rs.getString("type")),
        url == null ? null : crypto.open(url, urlContext(id)),
        secret == null ? null : crypto.open(secret, secretContext(id)),
        to == null ? List.of() : Arrays.asList((String[]) to.getArray()),
        Language.fromWire(rs.getString("language")),
        filter(rs.getString("filter")));
  }

  private static ChannelFilter filter(String json) {
    return json == null
        ? ChannelFilter.ANY
        : EventJson.mapper().readValue(json, ChannelFilter.class);
  }
}
