package jp.tcportal.schema.secret;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals channel URLs and secrets with AES-256-GCM before they are stored, and opens them again.
 *
 * <p>Stored format, version 1: {@code 0x01 | 12-byte random nonce | ciphertext | 16-byte tag}. The
 * version byte lets a later key or algorithm be introduced without guessing what a row holds. The
 * caller's {@code context} (for example {@code "<channel id>/url"}) is bound as additional
 * authenticated data, so a ciphertext copied into another row or field does not open there.
 *
 * <p>The key is 32 bytes, base64, from {@value #KEY_ENVIRONMENT_VARIABLE}; both the incidents
 * service (writer) and the notifier (reader) get the same value.
 */
public final class ChannelCrypto {

  public static final String KEY_ENVIRONMENT_VARIABLE = "TC_PORTAL_ENCRYPTION_KEY";

  static final byte VERSION_1 = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private ChannelCrypto(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * A crypto for a base64 key of exactly 32 bytes; the message names the variable, never the key.
   */
  public static ChannelCrypto fromBase64Key(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException(
          KEY_ENVIRONMENT_VARIABLE + " is not set: give a base64 key of 32 random bytes");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY_ENVIRONMENT_VARIABLE + " is not valid base64");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          KEY_ENVIRONMENT_VARIABLE
              + " must decode to 32 bytes (AES-256), not "
              + key.length
              + " bytes");
    }
    try {
      return new ChannelCrypto(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A fresh random key in the form {@value #KEY_ENVIRONMENT_VARIABLE} expects. */
  public static String newBase64Key() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Encrypts {@code plaintext} with a fresh nonce, bound to {@code context}. */
  public byte[] seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(context));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
          .put(VERSION_1)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * Decrypts what {@link #seal} wrote for the same {@code context}.
   *
   * @throws SecretUnreadableException if the value was changed, belongs to another context, or was
   *     sealed with another key
   */
  public String open(byte[] sealed, String context) {
    if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretUnreadableException("the stored value is too short to be a sealed secret");
    }
    if (sealed[0] != VERSION_1) {
      throw new SecretUnreadableException("unknown format version " + (sealed[0] & 0xff));
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(aad(context));
      byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SecretUnreadableException(
          "the stored value does not authenticate: another key ("
              + KEY_ENVIRONMENT_VARIABLE
              + " changed?), another row, or it was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * A URL as it may be shown back: scheme and host, then only its last four characters, e.g. {@code
   * https://hooks.slack.com/…/****abcd}. Anything that is not a URL with a host shows as {@code
   * ****} plus its last four characters.
   */
  public static String mask(String url) {
    if (url == null || url.isEmpty()) {
      return "";
    }
    String tail = url.length() > 8 ? url.substring(url.length() - 4) : "";
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri.getScheme() + "://" + uri.getHost() + "/…/****" + tail;
      }
    } catch (IllegalArgumentException notAUrl) {
      // Falls through to the plain mask.
    }
    return "****" + tail;
  }

  private static byte[] aad(String context) {
    return ("tcportal-channel-v1:" + context).getBytes(StandardCharsets.UTF_8);
  }
}
