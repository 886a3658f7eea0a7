package jp.tcportal.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 17 from zonky's binaries, on a fixed port, with its data directory kept between runs.
 *
 * <p>The superuser {@code postgres} has a password (kept by the launcher in {@code
 * <data>/secrets/postgres-password}) and every connection, over TCP or the Unix socket, must give
 * it: zonky's initdb trusts everyone who can reach the port, which on a shared machine is every
 * local user. Before each start the launcher writes its own {@code pg_hba.conf} and sets the
 * password in single-user mode (no network, nothing on a command line), which also migrates a data
 * folder made by an older launcher without a password.
 *
 * <p>The server runs as a separate process that would outlive a launcher killed with SIGKILL, so a
 * server left behind by such a launcher is stopped before starting, and a small shell watchdog
 * stops the server if this JVM disappears without running its shutdown hook.
 */
final class LocalDatabase implements AutoCloseable {

  static final String DATABASE_NAME = "tcportal";

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private Process watchdog;

  private LocalDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /** Every connection needs the password; nothing is trusted because of where it comes from. */
  static final String PG_HBA =
      """
      # Written by the TC Portal Monitor local stack at every start (edits are overwritten).
      # TYPE  DATABASE  USER  ADDRESS       METHOD
      local   all       all                 scram-sha-256
      host    all       all   127.0.0.1/32  scram-sha-256
      host    all       all   ::1/128       scram-sha-256
      """;

  static LocalDatabase start(Path dataDir, Path binariesDir, int port, String password)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(binariesDir);
    stopOrphanedServer(dataDir);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(binariesDir.toFile())
            .setPort(port)
            // zonky's own readiness check and the launcher's connections log in like everyone.
            .setConnectConfig("password", password)
            .setDataDirectoryCustomizer(
                dir -> {
                  try {
                    requirePasswords(dir.toPath(), binariesDir, password);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            // Loopback only, whatever TCPORTAL_BIND_ADDRESS says: only the services connect.
            .setServerConfig("listen_addresses", "localhost")
            .setPGStartupWait(Duration.ofSeconds(60))
            // The launcher stops it in order (after the services); no hook of zonky's own.
            .setRegisterShutdownHook(false)
            .setServerConfig("max_connections", "100")
            // Sized for a drain of a million runs: the runs' indexes stay in shared buffers
            // instead of being evicted and written back page by page, and checkpoints (and the
            // full-page images after each) come every few minutes rather than every minute. An
            // idle stack touches little of either; docs/performance.md has the figures.
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("max_wal_size", "2GB")
            .setServerConfig("checkpoint_timeout", "10min")
            // zonky defaults to fsync off and synchronous_commit off, which suits throwaway test
            // databases; here a crash would lose runs the processor had already committed (and
            // whose offsets it had committed), so the stack keeps PostgreSQL's durable defaults.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start();
    LocalDatabase database = new LocalDatabase(postgres, dataDir);
    database.createApplicationDatabase();
    database.startWatchdog();
    return database;
  }

  /**
   * Runs between initdb (or an existing data folder) and the server's start: our pg_hba.conf, and
   * the superuser's password set to the launcher's.
   */
  static void requirePasswords(Path dataDir, Path binariesDir, String password) throws IOException {
    Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
    Path postgres = serverBinary(binariesDir);
    List<String> command = new java.util.ArrayList<>();
    if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
    }
    command.addAll(
        List.of(postgres.toString(), "--single", "-D", dataDir.toString(), "-F", "postgres"));
    Process single = new ProcessBuilder(command).redirectErrorStream(true).start();
    // Through stdin: a password on the command line would be visible to every user in ps.
    try (var in = single.getOutputStream()) {
      in.write(
          ("ALTER ROLE postgres WITH PASSWORD '" + password + "';\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!single.waitFor(120, TimeUnit.SECONDS)
          || single.exitValue() != 0
          || output.contains("ERROR")) {
        single.destroyForcibly();
        throw new IOException(
            "Could not set the PostgreSQL password in "
                + dataDir
                + ": "
                + output.replace(password, "***"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while setting the PostgreSQL password", e);
    }
  }

  /**
   * zonky unpacks its binaries into {@code <binariesDir>/PG-<digest>/bin/}, the newest wins; but
   * only the first instance in a JVM unpacks them, later ones reuse that folder wherever it is
   * (zonky's default working folder, when something else in this JVM started PostgreSQL first).
   */
  private static Path serverBinary(Path binariesDir) throws IOException {
    Path zonkyDefault =
        Path.of(
            System.getProperty("ot.epg.working-dir", System.getProperty("java.io.tmpdir")),
            "embedded-pg");
    for (Path dir : List.of(binariesDir, zonkyDefault)) {
      java.util.Optional<Path> found = newestServerBinary(dir);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IOException("No PostgreSQL binary under " + binariesDir + " or " + zonkyDefault);
  }

  private static java.util.Optional<Path> newestServerBinary(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return java.util.Optional.empty();
    }
    String name =
        System.getProperty("os.name").toLowerCase().contains("win") ? "postgres.exe" : "postgres";
    try (var versions = Files.list(dir)) {
      return versions
          .map(version -> version.resolve("bin").resolve(name))
          .filter(Files::isRegularFile)
          .max(java.util.Comparator.comparing(LocalDatabase::modified));
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private void createApplicationDatabase() throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE_NAME);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + DATABASE_NAME);
      }
    } catch (SQLException e) {
      throw new IOException("Could not create database " + DATABASE_NAME, e);
    }
  }

  /** The postmaster's pid, from the first line of {@code postmaster.pid}. */
  static Optional<Long> postmasterPid(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A launcher killed with SIGKILL leaves its server running on our data directory: stop it. */
  private static void stopOrphanedServer(Path dataDir) throws IOException {
    Optional<ProcessHandle> orphan =
        postmasterPid(dataDir)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(
                handle ->
                    handle
                        .info()
                        .command()
                        .map(command -> command.contains("postgres"))
                        .orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    System.out.println(
        "[local-stack] stopping PostgreSQL left running by an earlier launcher (pid "
            + orphan.get().pid()
            + ")");
    orphan.get().destroy();
    try {
      orphan.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(
          "PostgreSQL (pid " + orphan.get().pid() + ") on " + dataDir + " did not stop", e);
    }
  }

  private void startWatchdog() {
    if (System.getProperty("os.name").toLowerCase().contains("win")) {
      return; // No POSIX shell; the orphan check at the next start still applies.
    }
    Optional<Long> pid = postmasterPid(dataDir);
    if (pid.isEmpty()) {
      return;
    }
    long launcher = ProcessHandle.current().pid();
    // SIGINT is PostgreSQL's fast shutdown: it ends sessions and checkpoints.
    String script =
        "while kill -0 "
            + launcher
            + " 2>/dev/null && kill -0 "
            + pid.get()
            + " 2>/dev/null; do sleep 1; done; kill -0 "
            + launcher
            + " 2>/dev/null || kill -INT "
            + pid.get()
            + " 2>/dev/null; exit 0";
    try {
      watchdog =
          new ProcessBuilder("sh", "-c", script)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      System.out.println("[local-stack] no PostgreSQL watchdog: " + e.getMessage());
    }
  }

  int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    if (watchdog != null) {
      watchdog.destroy();
    }
    postgres.close();
  }
}
