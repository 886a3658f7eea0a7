package jp.tcportal.gateway.report;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request the way docs/security.md tells clients to, written out independently of the
 * gateway's own code so that a mistake there cannot cancel out here.
 */
final class Signing {

  private Signing() {}

  static String now() {
    return String.valueOf(Instant.now().getEpochSecond());
  }

  static String secondsFromNow(long seconds) {
    return String.valueOf(Instant.now().getEpochSecond() + seconds);
  }

  /** {@code v1=} + hex HMAC-SHA256 of {@code "<timestamp>.<body>"} keyed with the secret. */
  static String signature(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signed = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
      byte[] message = new byte[signed.length + body.length];
      System.arraycopy(signed, 0, message, 0, signed.length);
      System.arraycopy(body, 0, message, signed.length, body.length);
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
