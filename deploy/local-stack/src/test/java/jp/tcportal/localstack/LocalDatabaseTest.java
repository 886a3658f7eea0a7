package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalDatabaseTest {

  @Test
  void migratesADataFolderAnOlderLauncherMadeWithoutAPasswordAndThenRequiresIt() throws Exception {
    Path work = Checkout.freshDirectory("local-database-test");
    Path dataDir = work.resolve("postgres");
    Path binaries = work.resolve("postgres-binaries");
    int port = Checkout.freePort();
    // What the launcher did before: zonky's initdb, which trusts every connection.
    try (EmbeddedPostgres older =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(binaries.toFile())
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setRegisterShutdownHook(false)
            .start()) {
      try (Connection trusted =
          DriverManager.getConnection(url(port, "postgres"), "postgres", "")) {
        trusted.createStatement().execute("CREATE TABLE kept (id int)");
      }
    }

    String password = LocalSecrets.generate();
    try (LocalDatabase database = LocalDatabase.start(dataDir, binaries, port, password)) {
      assertThatThrownBy(() -> DriverManager.getConnection(url(port, "tcportal"), "postgres", ""))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(
              () -> DriverManager.getConnection(url(port, "tcportal"), "postgres", "wrong"))
          .isInstanceOf(SQLException.class);
      try (Connection withPassword =
              DriverManager.getConnection(url(port, "postgres"), "postgres", password);
          ResultSet kept =
              withPassword.createStatement().executeQuery("SELECT count(*) FROM kept")) {
        assertThat(kept.next()).isTrue(); // the older data is still there
      }
      try (Connection application =
          DriverManager.getConnection(url(port, "tcportal"), "postgres", password)) {
        assertThat(application.isValid(5)).isTrue();
      }
    }
  }

  private static String url(int port, String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }
}
