package jp.tcportal.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-command stack started as a user starts it ({@code java -jar
 * deploy/local-stack/target/tcportal-local-stack.jar}), on ports of its own so it does not collide
 * with a developer's stack. The benchmark may stop its processor and start the same command line
 * again itself, to time a backlog drain from a cold start.
 */
final class StackUnderTest implements AutoCloseable {

  static final String WEBHOOK_SECRET = "benchmark-webhook-secret";
  static final String ADMIN_PASSWORD = "benchmark-admin-password";
  static final String READY_LINE = "TC Portal Monitor is ready";

  private final BenchmarkSettings settings;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Process launcher;
  private Process ownProcessor;
  private List<String> processorCommand;
  private double startSeconds;

  StackUnderTest(BenchmarkSettings settings) {
    this.settings = settings;
    environment.put("TCPORTAL_DATA_DIR", settings.stackDataDir().toString());
    environment.put("TC_PORTAL_WEBHOOK_SECRET", WEBHOOK_SECRET);
    environment.put("TC_PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD);
    environment.put("TCPORTAL_GATEWAY_PORT", String.valueOf(settings.gatewayPort()));
    environment.put("TCPORTAL_INCIDENTS_PORT", String.valueOf(settings.incidentsPort()));
    // The HTTPS ports beside them, so the defaults (8443, 8444) need not be free.
    environment.put("TCPORTAL_GATEWAY_HTTPS_PORT", String.valueOf(gatewayHttpsPort()));
    environment.put("TCPORTAL_INCIDENTS_HTTPS_PORT", String.valueOf(incidentsHttpsPort()));
    environment.put("TCPORTAL_PROCESSOR_PORT", String.valueOf(settings.processorPort()));
    environment.put("TCPORTAL_KAFKA_PORT", String.valueOf(settings.kafkaPort()));
    environment.put("TCPORTAL_KAFKA_CONTROLLER_PORT", String.valueOf(settings.kafkaPort() + 1));
    environment.put("TCPORTAL_POSTGRES_PORT", String.valueOf(settings.postgresPort()));
    environment.put("TCPORTAL_ECHO_SERVICE_LOGS", "false");
    environment.put("TCPORTAL_HOME", settings.stackHome().toString());
  }

  /** Starts the launcher and waits for its ready line; returns the seconds it took. */
  double start() throws IOException, InterruptedException {
    Path jar = settings.stackHome().resolve("deploy/local-stack/target/tcportal-local-stack.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: run ./mvnw -B -q -DskipTests package first");
    }
    deleteRecursively(settings.stackDataDir());
    Files.createDirectories(settings.logDir());
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString())
            .directory(settings.stackHome().toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    CountDownLatch ready = new CountDownLatch(1);
    long started = System.nanoTime();
    launcher = builder.start();
    Path log = settings.logDir().resolve("local-stack.log");
    Thread pump =
        new Thread(
            () -> {
              try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
                  BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(
                              launcher.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  out.write(line + System.lineSeparator());
                  out.flush();
                  if (line.contains(READY_LINE)) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // The launcher ended.
              }
            },
            "local-stack-output");
    pump.setDaemon(true);
    pump.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!ready.await(200, TimeUnit.MILLISECONDS)) {
      if (!launcher.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("The local stack did not get ready; see " + log);
      }
    }
    startSeconds = (System.nanoTime() - started) / 1e9;
    return startSeconds;
  }

  /** Each process of the stack by name, with its pid; PostgreSQL is the postmaster. */
  Map<String, Long> processes() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("launcher + Kafka broker", launcher.pid());
    for (String service : List.of("ingest-gateway", "run-processor", "incidents-service")) {
      serviceHandle(service).ifPresent(handle -> pids.put(service, handle.pid()));
    }
    if (ownProcessor != null && ownProcessor.isAlive()) {
      pids.put("run-processor", ownProcessor.pid());
    }
    postmasterPid().ifPresent(pid -> pids.put("postgresql", pid));
    return pids;
  }

  Optional<Long> postmasterPid() {
    try {
      List<String> lines =
          Files.readAllLines(settings.stackDataDir().resolve("postgres/postmaster.pid"));
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<ProcessHandle> serviceHandle(String module) {
    return launcher
        .children()
        .filter(child -> commandLine(child.pid()).stream().anyMatch(arg -> arg.contains(module)))
        .findFirst();
  }

  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Stops the stack's processor gracefully (SIGTERM) and remembers how it was started. */
  void stopProcessor() throws InterruptedException {
    ProcessHandle processor =
        serviceHandle("run-processor")
            .orElseThrow(() -> new IllegalStateException("The stack has no running processor"));
    processorCommand = new ArrayList<>(commandLine(processor.pid()));
    processor.destroy();
    try {
      processor.onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      processor.destroyForcibly();
      throw new IllegalStateException("The processor did not stop within 60 s", e);
    }
  }

  /** Starts the processor again with the stack's own command line and environment. */
  Process startProcessor() throws IOException {
    if (processorCommand == null) {
      throw new IllegalStateException("stopProcessor first");
    }
    ProcessBuilder builder =
        new ProcessBuilder(processorCommand)
            .directory(settings.stackHome().toFile())
            .redirectErrorStream(true)
            .redirectOutput(settings.logDir().resolve("run-processor-drain.log").toFile());
    builder.environment().putAll(environment);
    ownProcessor = builder.start();
    return ownProcessor;
  }

  String kafkaBootstrap() {
    return "127.0.0.1:" + settings.kafkaPort();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/tcportal";
  }

  /** The embedded PostgreSQL's generated superuser password (the local stack keeps it here). */
  String databasePassword() throws IOException {
    return Files.readString(settings.stackDataDir().resolve("secrets/postgres-password")).strip();
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + settings.gatewayPort();
  }

  /** The dashboard over HTTPS: its plain port only redirects there. */
  String incidentsUrl() {
    return "https://localhost:" + incidentsHttpsPort();
  }

  /** The local CA the stack made at its first start; it signs the services' certificates. */
  Path caFile() {
    return settings.stackDataDir().resolve("tls/ca.pem");
  }

  private int gatewayHttpsPort() {
    return settings.gatewayPort() + 10;
  }

  private int incidentsHttpsPort() {
    return settings.incidentsPort() + 10;
  }

  @Override
  public void close() {
    if (ownProcessor != null) {
      stop(ownProcessor.toHandle());
    }
    if (launcher != null) {
      stop(launcher.toHandle());
    }
  }

  private static void stop(ProcessHandle process) {
    process.destroy();
    try {
      process.onExit().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
