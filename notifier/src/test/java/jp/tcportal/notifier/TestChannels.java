package jp.tcportal.notifier;

import java.sql.Array;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.notifier.channel.ChannelStore;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.secret.ChannelCrypto;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes channels the way the incidents service will (its API is a later step): URL and secret
 * sealed with the shared key and the {@code <id>/url}, {@code <id>/secret} contexts.
 */
public final class TestChannels {

  public static final String KEY = ChannelCrypto.newBase64Key();

  private final JdbcTemplate jdbc;
  private final ChannelCrypto crypto = ChannelCrypto.fromBase64Key(KEY);

  public TestChannels(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public UUID add(
      String type,
      String url,
      String secret,
      List<String> to,
      String language,
      Map<String, String> filter) {
    UUID id = UUID.randomUUID();
    jdbc.execute(
        (java.sql.Connection connection) -> {
          Array addresses = connection.createArrayOf("text", to.toArray());
          try (var statement =
              connection.prepareStatement(
                  "INSERT INTO notification_channels (id, name, type, url_encrypted,"
                      + " secret_encrypted, to_addresses, language, filter)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            statement.setObject(1, id);
            statement.setString(2, "テスト " + type);
            statement.setString(3, type);
            statement.setBytes(
                4, url == null ? null : crypto.seal(url, ChannelStore.urlContext(id)));
            statement.setBytes(
                5, secret == null ? null : crypto.seal(secret, ChannelStore.secretContext(id)));
            statement.setArray(6, addresses);
            statement.setString(7, language);
            statement.setString(8, EventJson.mapper().writeValueAsString(filter));
            statement.executeUpdate();
          }
          return null;
        });
    return id;
  }

  public Map<String, Object> channel(UUID id) {
    return jdbc.queryForMap("SELECT * FROM notification_channels WHERE id = ?", id);
  }

  public List<Map<String, Object>> deliveries(UUID channelId) {
    return jdbc.queryForList(
        "SELECT * FROM notification_deliveries WHERE channel_id = ? ORDER BY id", channelId);
  }
}
