package jp.tcportal.gateway.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tcportal.gateway.GatewaySettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Optional request signing for clients that can compute an HMAC, so the secret itself never
 * travels: {@code X-TC-Portal-Timestamp: <unix seconds>} and {@code X-TC-Portal-Signature: v1=<hex
 * HMAC-SHA256 of "<timestamp>.<raw body bytes>" keyed with the secret>}.
 *
 * <p>Every active secret is tried and the MACs are compared with {@link MessageDigest#isEqual}, so
 * the answer time reveals nothing about the expected MAC. The timestamp bounds how long a captured
 * request can be replayed; within the window a replay carries the same {@code Idempotency-Key} and
 * is stored once.
 */
@Component
public class RequestSignatures {

  public static final String TIMESTAMP_HEADER = "X-TC-Portal-Timestamp";
  public static final String SIGNATURE_HEADER = "X-TC-Portal-Signature";

  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern SIGNATURE = Pattern.compile("^v1=([0-9a-fA-F]{64})$");
  private static final Pattern TIMESTAMP = Pattern.compile("^[0-9]{1,12}$");

  private final List<SecretKeySpec> keys;
  private final long windowSeconds;
  private final Clock clock;

  @Autowired
  public RequestSignatures(GatewaySettings settings) {
    this(settings, Clock.systemUTC());
  }

  RequestSignatures(GatewaySettings settings, Clock clock) {
    this.keys =
        settings.activeSecrets().stream()
            .map(secret -> new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM))
            .toList();
    this.windowSeconds = settings.signatureReplayWindow().toSeconds();
    this.clock = clock;
  }

  /**
   * Whether the timestamp header is well formed (unix seconds, digits only) and within the replay
   * window of the gateway's clock, in the past or the future.
   */
  public boolean isFresh(String timestamp) {
    if (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()) {
      return false;
    }
    long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
    return Math.abs(age) <= windowSeconds;
  }

  /** Whether the signature header has the {@code v1=<64 hex digits>} form. */
  public static boolean isWellFormed(String signature) {
    return signature != null && SIGNATURE.matcher(signature.strip()).matches();
  }

  /**
   * Which active secret signed {@code "<timestamp>.<body>"} (0 = the main one), or {@link
   * WebhookSecrets#NONE}. The timestamp is checked separately with {@link #isFresh}.
   */
  public int identify(String timestamp, String signature, byte[] body) {
    if (timestamp == null || !isWellFormed(signature)) {
      return WebhookSecrets.NONE;
    }
    var matcher = SIGNATURE.matcher(signature.strip());
    matcher.matches();
    byte[] presented = HexFormat.of().parseHex(matcher.group(1).toLowerCase(java.util.Locale.ROOT));
    int matched = WebhookSecrets.NONE;
    for (int index = 0; index < keys.size(); index++) {
      if (MessageDigest.isEqual(mac(keys.get(index), timestamp, body), presented)) {
        matched = index;
      }
    }
    return matched;
  }

  /** What a client sends for this timestamp and body: {@code v1=<hex>}. */
  public static String sign(String secret, String timestamp, byte[] body) {
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    return "v1=" + HexFormat.of().formatHex(mac(key, timestamp, body));
  }

  private static byte[] mac(SecretKeySpec key, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime provides HmacSHA256", e);
    }
  }
}
