package jp.tcportal.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 17 from zonky's binaries on a fixed data directory and port, which a scenario can stop
 * abruptly and start again where it was.
 *
 * <p>The abrupt stop is PostgreSQL's immediate shutdown: SIGQUIT to the postmaster, which is all
 * {@code pg_ctl stop -m immediate} does. Every backend ends at once, nothing is checkpointed, and
 * the next start runs crash recovery. (Signalled directly because {@code pg_ctl} refuses to run as
 * root, which the build machines are, while zonky's server runs fine there.)
 */
final class CrashablePostgres implements AutoCloseable {

  static final String USER = "postgres";

  private final Path dataDirectory;
  private final Path binariesDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private CrashablePostgres(Path dataDirectory, Path binariesDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.binariesDirectory = binariesDirectory;
    this.port = port;
  }

  static CrashablePostgres start(Path dataDirectory, Path binariesDirectory) {
    CrashablePostgres postgres =
        new CrashablePostgres(dataDirectory, binariesDirectory, Ports.free());
    postgres.startServer();
    return postgres;
  }

  /** The immediate shutdown mode: every backend is ended at once, nothing is checkpointed. */
  void crash() {
    long postmaster = postmasterPid();
    run("kill", "-QUIT", String.valueOf(postmaster));
    ProcessHandle.of(postmaster)
        .ifPresent(
            handle -> {
              try {
                handle.onExit().get(60, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("PostgreSQL did not stop after SIGQUIT", e);
              }
            });
    // Releases zonky's lock on the data directory so that the restart can take it. Its own stop
    // finds no server and logs "Could not stop postmaster": expected here.
    close();
  }

  void restart() {
    startServer();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  private void startServer() {
    try {
      Files.createDirectories(binariesDirectory);
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binariesDirectory.toFile())
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "100")
              // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off for fast
              // tests: a crash then loses commits the processor was already told had happened, so
              // acknowledged reports vanish (docs/reliability.md). Production runs with both on.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start PostgreSQL on " + dataDirectory, e);
    }
  }

  /** The postmaster's process id: the first line of {@code postmaster.pid}. */
  private long postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      return Long.parseLong(lines.get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL is not running on " + dataDirectory, e);
    }
  }

  private static void run(String... command) {
    try {
      Process process =
          new ProcessBuilder(List.of(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server = null;
    }
  }
}
