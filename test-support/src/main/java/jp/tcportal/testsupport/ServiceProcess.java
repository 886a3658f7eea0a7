package jp.tcportal.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service jar started as a child process, exactly as an operator would start it with
 * {@code java -jar}. Tests that use it prove the jar itself works, not just the classes on a test
 * classpath.
 */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code java -jar jar args...} with the given extra environment; output goes to {@code
   * logDir/name.log}.
   */
  public static ServiceProcess start(
      String name, Path jar, List<String> args, Map<String, String> environment, Path logDir) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: package the module first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.io.tmpdir=" + logDir.toAbsolutePath());
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      return new ServiceProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name, e);
    }
  }

  /**
   * Waits until {@code healthUrl} answers 200 with status UP, failing early if the process dies.
   */
  public ServiceProcess awaitHealthy(URI healthUrl, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was healthy:\n" + logTail());
      }
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(healthUrl).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + name, e);
      }
      try {
        process.waitFor(250, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(
        name + " was not healthy within " + timeout + ":\n" + logTail());
  }

  public Process process() {
    return process;
  }

  /** Stops the process as a user's Ctrl-C would; kills it if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The last lines the service wrote, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The repository's root folder, found by walking up from the working directory. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isDirectory(dir.resolve("shared-schema"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("Not inside the TC Portal Monitor repository");
  }

  /** The packaged executable jar of a service module, e.g. {@code ingest-gateway}. */
  public static Path moduleJar(String module) {
    Path target = repositoryRoot().resolve(module).resolve("target");
    return target.resolve(module + "-1.0.0-SNAPSHOT.jar");
  }
}
