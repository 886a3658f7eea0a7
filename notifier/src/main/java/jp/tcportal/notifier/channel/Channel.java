package jp.tcportal.notifier.channel;

import java.util.List;
import java.util.UUID;

/**
 * A channel as the notifier uses it, with its URL and secret already opened.
 *
 * @param url the target URL (null for e-mail)
 * @param secret the webhook signing secret, {@code whsec_<base64>} (null for other types)
 * @param toAddresses e-mail recipients (empty for other types)
 */
public record Channel(
    UUID id,
    String name,
    ChannelType type,
    String url,
    String secret,
    List<String> toAddresses,
    Language language,
    ChannelFilter filter) {

  @Override
  public String toString() {
    // Never log the URL or the secret: both are credentials.
    return "Channel[" + id + ", " + type.wireName() + ", " + name + "]";
  }
}
