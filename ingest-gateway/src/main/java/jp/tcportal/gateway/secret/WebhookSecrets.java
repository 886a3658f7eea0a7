package jp.tcportal.gateway.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import jp.tcportal.gateway.GatewaySettings;
import org.springframework.stereotype.Component;

/**
 * The secrets a client may present in {@code X-TC-Portal-Secret}: the main one and any rotation
 * ones.
 *
 * <p>Only SHA-256 digests are kept and compared with {@link MessageDigest#isEqual}, so the time an
 * answer takes reveals neither how much of a guess was right nor how long the secret is; every
 * active secret is compared, so it does not reveal which one matched either.
 */
@Component
public class WebhookSecrets {

  /** What {@link #identify} answers for a value that is no active secret. */
  public static final int NONE = -1;

  private final List<byte[]> digests;

  public WebhookSecrets(GatewaySettings settings) {
    this.digests = settings.activeSecrets().stream().map(WebhookSecrets::sha256).toList();
  }

  /** Whether the presented header value is one of the active secrets; {@code null} never is. */
  public boolean accepts(String presented) {
    return identify(presented) != NONE;
  }

  /**
   * Which active secret the presented value is (0 = the main one, then the rotation ones in their
   * configured order), or {@link #NONE}. Lets a caller count requests per secret without keeping
   * the secret itself.
   */
  public int identify(String presented) {
    if (presented == null) {
      return NONE;
    }
    byte[] candidate = sha256(presented);
    int matched = NONE;
    for (int index = 0; index < digests.size(); index++) {
      // No early exit: every secret is compared whatever matched.
      if (MessageDigest.isEqual(digests.get(index), candidate)) {
        matched = index;
      }
    }
    return matched;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-256", e);
    }
  }
}
