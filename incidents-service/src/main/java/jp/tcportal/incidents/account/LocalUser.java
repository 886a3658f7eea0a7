package jp.tcportal.incidents.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.security.core.userdetails.User;

/**
 * A signed-in local account, with a stamp of what its session was granted on: a digest of the
 * password hash, role and enabled flag at login. The password is erased after login; the stamp
 * stays, so a later password change, demotion or deletion is noticed on the next request.
 */
final class LocalUser extends User {

  private static final long serialVersionUID = 1L;

  private final String stamp;

  LocalUser(LocalAccount account) {
    super(
        account.getUsername(),
        account.getPasswordHash(),
        account.isEnabled(),
        true,
        true,
        true,
        account.getRole().authorities());
    this.stamp = stampOf(account);
  }

  String stamp() {
    return stamp;
  }

  /**
   * Changes whenever the password is set (bcrypt salts anew), the role changes or it is disabled.
   */
  static String stampOf(LocalAccount account) {
    String state = account.getPasswordHash() + "|" + account.getRole() + "|" + account.isEnabled();
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
