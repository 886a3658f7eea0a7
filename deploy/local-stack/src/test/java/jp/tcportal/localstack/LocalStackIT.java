package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the one-command stack as a newcomer would: {@code java -jar
 * deploy/local-stack/target/tcportal-local-stack.jar} from the repository root (with a data folder
 * under {@code target/} and free ports), posts the first report over HTTPS with the printed {@code
 * curl} line and the printed Python line, sees both through the incidents API, checks what a local
 * user could reach (ports on loopback only, no secret in any command line, private secret files, no
 * database login without the password), stops the stack with SIGTERM, starts it again from another
 * directory and still sees them with the same secret, and finally kills the launcher outright:
 * nothing may be left running in either case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocalStackIT {

  /** Generous: CI machines are small and three Spring Boot services start at once. */
  private static final Duration READY_WITHIN = Duration.ofMinutes(8);

  private static Path work;
  private static Path dataDir;

  /** TCPORTAL_DATA_DIR as given: relative, so it means the checkout's folder from any directory. */
  private static String dataDirSetting;

  private static final Map<String, Integer> ports = new HashMap<>();
  private static Process stack;
  private static Path console;
  private static int starts;

  @BeforeAll
  static void startStack() throws IOException {
    Checkout.assumeServiceJarsBuilt(
        "ingest-gateway", "run-processor", "incidents-service", "notifier");
    work = Checkout.freshDirectory("it-local-stack");
    dataDir = work.resolve("data");
    dataDirSetting = Checkout.root().relativize(dataDir).toString();
    for (String port :
        List.of(
            "TCPORTAL_KAFKA_PORT",
            "TCPORTAL_KAFKA_CONTROLLER_PORT",
            "TCPORTAL_POSTGRES_PORT",
            "TCPORTAL_GATEWAY_PORT",
            "TCPORTAL_GATEWAY_HTTPS_PORT",
            "TCPORTAL_INCIDENTS_PORT",
            "TCPORTAL_INCIDENTS_HTTPS_PORT",
            "TCPORTAL_PROCESSOR_PORT",
            "TCPORTAL_NOTIFIER_PORT")) {
      ports.put(port, Checkout.freePort());
    }
    launch(Checkout.root());
  }

  @AfterAll
  static void stopStack() throws InterruptedException {
    if (stack != null && stack.isAlive()) {
      stack.destroy();
      stack.waitFor(90, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void printsTheUrlsTheSecretsAndAFirstReportToPost() throws Exception {
    String secret = Files.readString(dataDir.resolve("webhook-secret")).trim();
    String adminPassword = Files.readString(dataDir.resolve("admin-password")).trim();
    String banner = consoleText();

    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(banner)
        .contains(
            "https://localhost:" + ports.get("TCPORTAL_GATEWAY_HTTPS_PORT") + "/api/monitor/report")
        .contains("http://localhost:" + ports.get("TCPORTAL_GATEWAY_PORT") + "/api/monitor/report")
        .contains("https://localhost:" + ports.get("TCPORTAL_INCIDENTS_HTTPS_PORT") + "/incidents")
        .contains("Webhook secret    : " + secret)
        .contains("Admin login       : admin / " + adminPassword)
        .contains("Data folder       : " + dataDir)
        .contains("Local CA          : " + dataDir.resolve("tls/ca.pem"))
        .contains(
            "Import-Certificate -FilePath ca.pem -CertStoreLocation Cert:\\LocalMachine\\Root")
        .contains("certutil -addstore -f Root ca.pem")
        .contains(
            "Notifier health   : http://127.0.0.1:"
                + ports.get("TCPORTAL_NOTIFIER_PORT")
                + "/actuator/health")
        .contains(LocalStack.READY_LINE);
    assertThat(printedLine("curl "))
        .contains("X-TC-Portal-Secret: " + secret)
        .contains("--cacert '" + dataDir.resolve("tls/ca.pem") + "'")
        .contains("https://");
    assertThat(printedLine("TC_PORTAL_BASE_URL=")).contains("report_task_status(");

    // The notifier (fourth service) is up and reports its database and Kafka healthy.
    CommandResult notifier =
        runPrinted(
            "curl -sS http://127.0.0.1:"
                + ports.get("TCPORTAL_NOTIFIER_PORT")
                + "/actuator/health");
    assertThat(notifier.output()).contains("\"delivery\":{").endsWith("\"status\":\"UP\"}");
  }

  @Test
  @Order(2)
  void storesTheReportsPostedWithThePrintedCurlAndPythonLines() throws Exception {
    CommandResult curl = runPrinted(printedLine("curl "));
    assertThat(curl.output()).contains("\"ok\":true").contains("hello_local_stack");

    CommandResult python = runPrinted(printedLine("TC_PORTAL_BASE_URL="));
    assertThat(python.exitCode()).as(python.output()).isZero();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(storedRuns())
                    .containsEntry("hello_local_stack", "はじめての報告 failed")
                    .containsEntry("hello_python", "Pythonからの報告 success"));
    String incidents = incidentsApi().get("/api/v1/incidents");
    assertThat(incidents).contains("hello_local_stack").contains("hello_python");
    assertThat(incidentsApi().get("/api/v1/incidents/badge")).contains("\"count\":1");
  }

  @Test
  @Order(2)
  void refusesTheHttpsEndpointToACurlThatTrustsAnotherCa() throws Exception {
    Path otherCa =
        LocalTls.ensure(work.resolve("other-ca"), List.of("localhost", "127.0.0.1")).ca();
    String line =
        printedLine("curl ")
            .replace(dataDir.resolve("tls/ca.pem").toString(), otherCa.toString())
            .replace("hello_local_stack", "never_stored");

    CommandResult curl = runPrinted(line);

    assertThat(curl.exitCode()).as(curl.output()).isEqualTo(60); // peer certificate not trusted
    assertThat(storedRuns()).doesNotContainKey("never_stored");
  }

  @Test
  @Order(2)
  void listensOnLoopbackOnlyUnlessToldOtherwise() throws Exception {
    int gatewayHttps = ports.get("TCPORTAL_GATEWAY_HTTPS_PORT");
    assertThat(Checkout.accepts("127.0.0.1", gatewayHttps)).isTrue();
    // 127.0.0.2 is this machine too (all of 127/8 is loopback), but not the address bound.
    List<String> otherAddresses = new ArrayList<>(List.of("127.0.0.2"));
    Checkout.nonLoopbackAddress().ifPresent(otherAddresses::add);
    for (String address : otherAddresses) {
      assertThat(ports)
          .as("ports reachable on " + address)
          .allSatisfy(
              (name, port) ->
                  assertThat(Checkout.accepts(address, port))
                      .as(name + " on " + address)
                      .isFalse());
    }
    for (String name :
        List.of(
            "TCPORTAL_INCIDENTS_HTTPS_PORT",
            "TCPORTAL_PROCESSOR_PORT",
            "TCPORTAL_NOTIFIER_PORT",
            "TCPORTAL_POSTGRES_PORT",
            "TCPORTAL_KAFKA_PORT")) {
      assertThat(Checkout.accepts("127.0.0.1", ports.get(name))).as(name).isTrue();
    }
  }

  @Test
  @Order(2)
  void servesPlainHttpBesideHttpsForClientsThatDoNotTrustTheCaYet() throws Exception {
    // The extra plain ports come with the services' own TLS settings (branches gateway and
    // incidents); with older service jars there is nothing to check yet.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Checkout.serviceJarMentions("ingest-gateway", "plainHttpPort", "plain-http-port")
            && Checkout.serviceJarMentions("incidents-service", "plainHttpPort", "plain-http-port"),
        "service jars without tcportal.*.plain-http-port");
    String secret = Files.readString(dataDir.resolve("webhook-secret")).trim();
    CommandResult plain =
        runPrinted(
            "curl -sS -X POST http://127.0.0.1:"
                + ports.get("TCPORTAL_GATEWAY_PORT")
                + "/api/monitor/report -H 'Content-Type: application/json'"
                + " -H 'X-TC-Portal-Secret: "
                + secret
                + "' -d '{\"task_key\":\"plain_http\",\"task_name\":\"平文\",\"kind\":\"bat\","
                + "\"status\":\"success\",\"exit_code\":0}'");
    assertThat(plain.output()).contains("\"ok\":true");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(storedRuns()).containsKey("plain_http"));

    CommandResult health =
        runPrinted(
            "curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:"
                + ports.get("TCPORTAL_INCIDENTS_PORT")
                + "/actuator/health");
    assertThat(health.output()).isEqualTo("200");
  }

  @Test
  @Order(2)
  void putsNoSecretOnAnyCommandLine() throws Exception {
    List<String> secrets =
        List.of(
            Files.readString(dataDir.resolve("webhook-secret")).trim(),
            Files.readString(dataDir.resolve("admin-password")).trim(),
            Files.readString(dataDir.resolve("secrets/encryption-key")).trim(),
            postgresPassword());
    List<ProcessHandle> processes = everythingStartedBy(stack);
    // PostgreSQL's backends are the postmaster's children.
    processes.addAll(processes.get(processes.size() - 1).descendants().toList());
    // Launcher's four services plus PostgreSQL at least.
    assertThat(processes).hasSizeGreaterThanOrEqualTo(6);

    for (ProcessHandle process : processes) {
      String commandLine;
      try {
        commandLine =
            new String(
                    Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8)
                .replace('\0', ' ');
      } catch (IOException exited) {
        continue;
      }
      for (String secret : secrets) {
        assertThat(commandLine).as("command line of pid " + process.pid()).doesNotContain(secret);
      }
    }
  }

  @Test
  @Order(2)
  void keepsSecretsAndKeysInOwnerOnlyFiles() throws IOException {
    for (String file :
        List.of(
            "webhook-secret",
            "admin-password",
            "secrets/postgres-password",
            "secrets/encryption-key",
            "tls/ca-key.pem",
            "tls/server-key.pem")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dataDir.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("secrets"))))
        .isEqualTo("rwx------");
  }

  @Test
  @Order(2)
  void refusesDatabaseLoginsWithoutThePassword() throws Exception {
    String port = String.valueOf(ports.get("TCPORTAL_POSTGRES_PORT"));
    CommandResult withoutPassword =
        runPrinted(
            "env -u PGPASSWORD psql -w -h 127.0.0.1 -p "
                + port
                + " -U postgres -d tcportal -tAc 'SELECT 1'");
    assertThat(withoutPassword.exitCode()).as(withoutPassword.output()).isNotZero();
    assertThat(withoutPassword.output()).contains("password");

    CommandResult withPassword =
        runPrinted(
            "PGPASSWORD='"
                + postgresPassword()
                + "' psql -w -h 127.0.0.1 -p "
                + port
                + " -U postgres -d tcportal -tAc 'SELECT 1'");
    assertThat(withPassword.exitCode()).as(withPassword.output()).isZero();
    assertThat(withPassword.output().trim()).isEqualTo("1");

    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/tcportal", "postgres", "")
                    .close())
        .isInstanceOf(SQLException.class);
  }

  @Test
  @Order(3)
  void stopsEverythingOnSigterm() throws Exception {
    List<ProcessHandle> started = everythingStartedBy(stack);
    assertThat(started).hasSizeGreaterThanOrEqualTo(4); // three services and the database

    stack.destroy(); // SIGTERM, as Ctrl-C or a service manager would
    assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("launcher exits").isTrue();

    assertNothingLeftRunning(started);
    assertThat(consoleText()).contains("[local-stack] stopped");
  }

  @Test
  @Order(4)
  void keepsMonitorsRunsAndTheSecretAcrossARestartFromAnotherDirectory() throws Exception {
    String secretBefore = Files.readString(dataDir.resolve("webhook-secret")).trim();
    String caBefore = Files.readString(dataDir.resolve("tls/ca.pem"));
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
    launch(elsewhere);

    assertThat(consoleText()).contains("Data folder       : " + dataDir);
    assertThat(elsewhere.resolve(dataDirSetting)).doesNotExist();
    assertThat(Files.readString(dataDir.resolve("tls/ca.pem"))).isEqualTo(caBefore);

    assertThat(printedLine("curl ")).contains("X-TC-Portal-Secret: " + secretBefore);
    assertThat(storedRuns()).containsKeys("hello_local_stack", "hello_python");
    assertThat(incidentsApi().get("/api/v1/incidents"))
        .contains("hello_local_stack")
        .contains("hello_python");
  }

  @Test
  @Order(5)
  void leavesNothingRunningWhenTheLauncherIsKilled() throws Exception {
    List<ProcessHandle> started = everythingStartedBy(stack);

    stack.destroyForcibly(); // SIGKILL: no shutdown hook runs; the watchdogs must act
    assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertNothingLeftRunning(started);
  }

  /** Starts the stack (kept in {@link #stack} at once, so a failed start is still stopped). */
  private static void launch(Path workingDirectory) throws IOException {
    starts++;
    console = work.resolve("console-" + starts + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Checkout.stackJar().toString())
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    Map<String, String> env = builder.environment();
    env.remove("TC_PORTAL_WEBHOOK_SECRET");
    env.remove("TC_PORTAL_ADMIN_PASSWORD");
    env.remove("TCPORTAL_HOME");
    env.remove("TCPORTAL_BIND_ADDRESS");
    env.put("TCPORTAL_DATA_DIR", dataDirSetting);
    ports.forEach((name, port) -> env.put(name, String.valueOf(port)));
    env.put("TCPORTAL_START_TIMEOUT_SECONDS", String.valueOf(READY_WITHIN.toSeconds()));
    Process process = builder.start();
    stack = process;
    await()
        .atMost(READY_WITHIN.plusSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .failFast("the launcher exited", () -> !process.isAlive())
        .until(() -> consoleText().contains(LocalStack.READY_LINE));
  }

  private static String consoleText() throws IOException {
    return Files.readString(console, StandardCharsets.UTF_8);
  }

  /** A copy-paste line of the banner, found by how it starts. */
  private static String printedLine(String start) throws IOException {
    return consoleText()
        .lines()
        .map(String::trim)
        .filter(line -> line.startsWith(start))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no printed line starting with " + start));
  }

  private record CommandResult(int exitCode, String output) {}

  /** Runs a printed line in a shell from the repository root, as a user pasting it would. */
  private static CommandResult runPrinted(String line) throws IOException, InterruptedException {
    Path output = work.resolve("command-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("sh", "-c", line)
            .directory(Checkout.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    // The Python client spools undeliverable reports; keep its folder inside target/.
    builder.environment().put("TC_PORTAL_SPOOL_DIR", work.resolve("python-spool").toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("command finishes: " + line).isTrue();
    return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** task_key → "task_name status" of each monitor's runs, straight from PostgreSQL. */
  private static Map<String, String> storedRuns() throws SQLException {
    String url = "jdbc:postgresql://localhost:" + ports.get("TCPORTAL_POSTGRES_PORT") + "/tcportal";
    Map<String, String> runs = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(url, "postgres", postgresPassword());
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT m.task_key, m.task_name, r.status FROM task_monitor_runs r"
                    + " JOIN task_monitors m ON m.id = r.monitor_id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        runs.put(rows.getString(1), rows.getString(2) + " " + rows.getString(3));
      }
    }
    return runs;
  }

  /** The generated superuser password, as the contract says tests read it. */
  private static String postgresPassword() {
    try {
      return Files.readString(dataDir.resolve("secrets/postgres-password")).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static IncidentsApi incidentsApi() throws IOException {
    return new IncidentsApi(
        ports.get("TCPORTAL_INCIDENTS_HTTPS_PORT"),
        TrustedCa.sslContext(dataDir.resolve("tls/ca.pem")),
        "admin",
        Files.readString(dataDir.resolve("admin-password")).trim());
  }

  /**
   * The launcher's descendants (service JVMs, watchdogs) and the PostgreSQL server, which pg_ctl
   * detaches from the launcher.
   */
  private static List<ProcessHandle> everythingStartedBy(Process launcher) {
    List<ProcessHandle> started = new ArrayList<>(launcher.descendants().toList());
    Optional<ProcessHandle> postgres =
        LocalDatabase.postmasterPid(dataDir.resolve("postgres")).flatMap(ProcessHandle::of);
    assertThat(postgres).as("PostgreSQL is running").isPresent();
    started.add(postgres.get());
    return started;
  }

  /** Alive and not a zombie waiting for an init that reaps slowly. */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  private static void assertNothingLeftRunning(List<ProcessHandle> started) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(started)
                    .filteredOn(LocalStackIT::running)
                    .extracting(
                        handle -> handle.pid() + " " + handle.info().commandLine().orElse(""))
                    .isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(ports.values())
                    .allSatisfy(port -> assertThat(Checkout.portIsFree(port)).isTrue()));
  }
}
