package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {

  @TempDir Path dataDir;

  @Test
  void generatesASecretOnceAndKeepsItForTheNextStart() throws IOException {
    Path file = dataDir.resolve("webhook-secret");

    LocalSecrets.Secret first = LocalSecrets.resolve(null, file);
    LocalSecrets.Secret second = LocalSecrets.resolve("", file);

    assertThat(first.value()).matches("[A-Za-z0-9_-]{32}");
    assertThat(second.value()).isEqualTo(first.value());
    assertThat(Files.readString(file).trim()).isEqualTo(first.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(first.origin("TC_PORTAL_WEBHOOK_SECRET")).isEqualTo("kept in " + file);
  }

  @Test
  void prefersTheEnvironmentAndWritesNothing() throws IOException {
    Path file = dataDir.resolve("admin-password");

    LocalSecrets.Secret secret = LocalSecrets.resolve("from-ops", file);

    assertThat(secret.value()).isEqualTo("from-ops");
    assertThat(secret.origin("TC_PORTAL_ADMIN_PASSWORD"))
        .isEqualTo("from TC_PORTAL_ADMIN_PASSWORD");
    assertThat(file).doesNotExist();
  }
}
