package jp.tcportal.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The webhook secret and the admin password of the local stack: taken from the environment when
 * set, otherwise generated once and kept (owner-readable only) in the data folder, so clients
 * configured with them keep working after a restart.
 */
final class LocalSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One secret and where it came from.
   *
   * @param value the secret itself
   * @param file the file that keeps it, or null when it came from the environment
   */
  record Secret(String value, Path file) {
    String origin(String environmentVariable) {
      return file == null ? "from " + environmentVariable : "kept in " + file;
    }
  }

  private LocalSecrets() {}

  /**
   * 24 random bytes, URL-safe Base64 without padding: nothing to quote in a shell, a header, SQL or
   * a URL.
   */
  static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The notifier's channel encryption key (TC_PORTAL_ENCRYPTION_KEY): 32 random bytes, standard
   * Base64, generated once and kept, since channels sealed with it are unreadable under another.
   */
  static Secret encryptionKey(String fromEnvironment, Path file) throws IOException {
    return resolve(fromEnvironment, file, LocalSecrets::newEncryptionKey);
  }

  static String newEncryptionKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static Secret resolve(String fromEnvironment, Path file) throws IOException {
    return resolve(fromEnvironment, file, LocalSecrets::generate);
  }

  private static Secret resolve(
      String fromEnvironment, Path file, java.util.function.Supplier<String> generator)
      throws IOException {
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new Secret(fromEnvironment, null);
    }
    if (Files.isRegularFile(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!kept.isEmpty()) {
        PrivateFiles.tighten(file);
        return new Secret(kept, file);
      }
    }
    String generated = generator.get();
    PrivateFiles.write(file, generated + System.lineSeparator());
    return new Secret(generated, file);
  }
}
