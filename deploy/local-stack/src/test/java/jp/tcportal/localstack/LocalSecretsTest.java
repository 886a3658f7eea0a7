package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  @Test
  void writesANewSecretIntoAFreshPrivateFileNotIntoOneSomeoneElseHoldsOpen() throws IOException {
    // Someone pre-creates the file world-readable (or an older launcher left it empty) and keeps
    // it open: writing into that inode and tightening its mode afterwards would hand them the
    // secret through the descriptor they already hold.
    Path file = dataDir.resolve("webhook-secret");
    Files.createFile(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    try (FileChannel heldOpen = FileChannel.open(file, StandardOpenOption.READ)) {

      LocalSecrets.Secret secret = LocalSecrets.resolve(null, file);

      ByteBuffer seen = ByteBuffer.allocate(256);
      assertThat(heldOpen.read(seen, 0)).isLessThanOrEqualTo(0);
      assertThat(Files.readString(file).trim()).isEqualTo(secret.value());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void makesASecretKeptWorldReadableByAnOlderLauncherOwnerOnly() throws IOException {
    Path file = dataDir.resolve("admin-password");
    Files.writeString(file, "kept-before\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(LocalSecrets.resolve(null, file).value()).isEqualTo("kept-before");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void createsMissingFoldersOfASecretOwnerOnly() throws IOException {
    Path file = dataDir.resolve("secrets").resolve("postgres-password");

    PrivateFiles.write(file, "pw\n");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file); // no temporary file left behind
    }
  }
}
