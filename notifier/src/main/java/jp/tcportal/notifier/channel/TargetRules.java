package jp.tcportal.notifier.channel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a channel may send. Outside the local stack and tests, only {@code https} targets on public
 * addresses: a channel URL is typed by a person, and without this rule the notifier would be a way
 * to reach the private network it runs in (169.254.169.254, the database, an admin console).
 *
 * <p>{@link #checkChannel} is for the moment a channel is saved (syntax, literal addresses, legacy
 * Teams connectors); {@link #checkResolved} runs before every send, on the addresses the host
 * resolves to then, so a name that later points inside is refused too.
 */
public final class TargetRules {

  private static final Pattern EMAIL =
      Pattern.compile("^[^@\\s<>(),;:\"\\[\\]]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$");
  private static final int MAX_URL_LENGTH = 2048;
  private static final int MAX_RECIPIENTS = 50;

  private final boolean allowInsecure;

  public TargetRules(boolean allowInsecure) {
    this.allowInsecure = allowInsecure;
  }

  /** Checks a channel's target fields; throws naming the first field that breaks a rule. */
  public void checkChannel(ChannelType type, String url, List<String> to) {
    if (type == ChannelType.EMAIL) {
      checkRecipients(to);
    } else {
      checkUrl(type, url);
    }
  }

  /** The parsed target URL, or an {@link InvalidChannelException} for field {@code url}. */
  public URI checkUrl(ChannelType type, String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidChannelException("url", "必須です / is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new InvalidChannelException(
          "url", "長すぎます (最大 2048 文字) / is longer than 2048 characters");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new InvalidChannelException("url", "URL として読めません / is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (!(scheme.equals("https") || scheme.equals("http")) || host == null) {
      throw new InvalidChannelException(
          "url", "https:// で始まる URL を指定してください / must be an https:// URL with a host");
    }
    if (uri.getUserInfo() != null) {
      throw new InvalidChannelException("url", "ユーザー情報を含められません / must not carry user:password@");
    }
    if (type == ChannelType.TEAMS && isLegacyOffice365Connector(uri)) {
      throw new InvalidChannelException(
          "url",
          "旧 Office 365 コネクタの URL は廃止されました。Teams の「ワークフロー」で"
              + "「Webhook 要求を受信したとき」から Webhook を作成し、その URL を指定してください"
              + " / legacy Office 365 connector URLs are retired: create a Teams Workflows webhook"
              + " (\"When a Teams webhook request is received\") and use its URL");
    }
    if (!allowInsecure) {
      if (!scheme.equals("https")) {
        throw new InvalidChannelException(
            "url", "https のみ使えます / must use https (plain http is refused)");
      }
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (bare.equalsIgnoreCase("localhost")
          || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
        throw privateTarget();
      }
      InetAddress literal = literalAddress(bare);
      if (literal != null && isPrivate(literal)) {
        throw privateTarget();
      }
    }
    return uri;
  }

  /**
   * Refuses a send whose host resolves to a private, loopback or link-local address (unless
   * insecure targets are allowed).
   */
  public void checkResolved(String host, List<InetAddress> addresses) {
    if (allowInsecure) {
      return;
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        throw new InvalidChannelException(
            "url", "宛先 " + host + " がプライベートアドレスに解決されました / the host resolves to a private address");
      }
    }
  }

  /** True for Office 365 connector URLs, which Microsoft retired in favour of Workflows. */
  static boolean isLegacyOffice365Connector(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().toLowerCase(Locale.ROOT);
    return (host.endsWith(".webhook.office.com") && path.startsWith("/webhookb2/"))
        || (host.equals("outlook.office.com") && path.startsWith("/webhook/"))
        || (host.equals("outlook.office365.com") && path.startsWith("/webhook/"));
  }

  private void checkRecipients(List<String> to) {
    if (to == null || to.isEmpty()) {
      throw new InvalidChannelException("to", "宛先を 1 件以上指定してください / needs at least one address");
    }
    if (to.size() > MAX_RECIPIENTS) {
      throw new InvalidChannelException("to", "宛先は 50 件までです / takes at most 50 addresses");
    }
    for (int i = 0; i < to.size(); i++) {
      String address = to.get(i);
      if (address == null || address.length() > 254 || !EMAIL.matcher(address).matches()) {
        throw new InvalidChannelException(
            "to[" + i + "]", "メールアドレスとして正しくありません / is not an e-mail address");
      }
    }
  }

  private static InvalidChannelException privateTarget() {
    return new InvalidChannelException(
        "url",
        "プライベート/ループバックのアドレスには送れません / must not point at a private or loopback"
            + " address (set TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS=true only for local tests)");
  }

  /** The address a literal IPv4/IPv6 host names, without any DNS lookup; null for a name. */
  private static InetAddress literalAddress(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    String lastLabel = lower.substring(lower.lastIndexOf('.') + 1);
    boolean numericLooking =
        lower.matches("[0-9a-fx.]+") && lastLabel.matches("0x[0-9a-f]*|[0-9]+");
    if (numericLooking && !lower.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      // 2130706433, 0x7f.1, 127.1: other resolvers read these as addresses, so refuse them.
      throw privateTarget();
    }
    if (!numericLooking && !lower.contains(":")) {
      return null;
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address inside.
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      boolean nat64 =
          first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      if (mapped || nat64) {
        try {
          return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
