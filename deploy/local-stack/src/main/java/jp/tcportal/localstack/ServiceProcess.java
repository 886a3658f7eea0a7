package jp.tcportal.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service jar running as a child JVM: output to a log file (and, prefixed, to the console), a
 * health check against its actuator endpoint, and a stop that waits for it.
 */
final class ServiceProcess {

  /**
   * What to start.
   *
   * @param name short name used as the console prefix and the log file name
   * @param jar the executable jar
   * @param health the service's {@code /actuator/health} URL
   * @param heap the {@code -Xmx} value
   * @param arguments program arguments (Spring properties)
   * @param environment variables added to the launcher's own environment
   */
  record Spec(
      String name,
      Path jar,
      URI health,
      String heap,
      List<String> arguments,
      Map<String, String> environment) {}

  /** Small and predictable: an idle service stays well under 300 MB resident. */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xss512k",
          "-XX:MaxMetaspaceSize=192m",
          "-XX:ReservedCodeCacheSize=64m",
          "-XX:MaxDirectMemorySize=64m",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dfile.encoding=UTF-8");

  private final Spec spec;
  private final Process process;
  private final Path logFile;
  private volatile boolean stopping;

  private ServiceProcess(Spec spec, Process process, Path logFile) {
    this.spec = spec;
    this.process = process;
    this.logFile = logFile;
  }

  static ServiceProcess start(
      Spec spec, Path logDir, Path watchdogAgent, String extraJavaOptions, PrintStream console)
      throws IOException {
    if (!Files.isRegularFile(spec.jar())) {
      throw new IOException(
          "The "
              + spec.name()
              + " jar is missing: "
              + spec.jar()
              + ". Build it first: ./mvnw -B -q -DskipTests package");
    }
    Files.createDirectories(logDir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + spec.heap());
    command.addAll(JVM_OPTIONS);
    command.add("-javaagent:" + watchdogAgent + "=" + ProcessHandle.current().pid());
    for (String option : extraJavaOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.add("-jar");
    command.add(spec.jar().toString());
    command.addAll(spec.arguments());

    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(spec.environment());
    Path logFile = logDir.resolve(spec.name() + ".log");
    Process process = builder.start();
    ServiceProcess service = new ServiceProcess(spec, process, logFile);
    service.copyOutput(console);
    process
        .onExit()
        .thenAccept(
            exited -> {
              if (!service.stopping) {
                console.println(
                    "[local-stack] "
                        + spec.name()
                        + " exited unexpectedly with code "
                        + exited.exitValue()
                        + "; see "
                        + logFile);
              }
            });
    return service;
  }

  /** Copies the child's output into its log file and, prefixed with its name, to the console. */
  private void copyOutput(PrintStream console) throws IOException {
    Writer log =
        Files.newBufferedWriter(
            logFile,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
    String prefix = String.format("[%-9s] ", spec.name());
    Thread pump =
        new Thread(
            () -> {
              try (log;
                  BufferedReader output =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                  log.write(line);
                  log.write(System.lineSeparator());
                  log.flush();
                  if (console != null) {
                    console.println(prefix + line);
                  }
                }
              } catch (IOException e) {
                // The child closed its output: it is exiting.
              }
            },
            "tcportal-output-" + spec.name());
    pump.setDaemon(true);
    pump.start();
  }

  /** Waits until {@code /actuator/health} answers 200, or fails if the service dies or is late. */
  void awaitHealthy(Duration timeout, javax.net.ssl.SSLContext trust)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    URI health = healthUri();
    HttpClient http =
        HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            spec.name()
                + " exited with code "
                + process.exitValue()
                + " before it was healthy; see "
                + logFile);
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // Still starting.
      }
      // A supervisor polls an external process here; there is no event to wait for.
      process.waitFor(500, TimeUnit.MILLISECONDS);
    }
    throw new IOException(
        spec.name() + " was not healthy within " + timeout.toSeconds() + " s; see " + logFile);
  }

  URI healthUri() {
    return spec.health();
  }

  /** Asks the service to stop (SIGTERM, Spring's graceful shutdown), then insists. */
  void beginStop() {
    stopping = true;
    process.destroy();
  }

  void awaitStopped(Duration grace) throws InterruptedException {
    stopping = true;
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  String name() {
    return spec.name();
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }
}
