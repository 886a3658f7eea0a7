package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
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
 * under {@code target/} and free ports), posts the first report with the printed {@code curl} line
 * and the printed Python line, sees both through the incidents API, stops the stack with SIGTERM,
 * starts it again and still sees them, and finally kills the launcher outright: nothing may be left
 * running in either case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocalStackIT {

  /** Generous: CI machines are small and three Spring Boot services start at once. */
  private static final Duration READY_WITHIN = Duration.ofMinutes(8);

  private static Path work;
  private static Path dataDir;
  private static final Map<String, Integer> ports = new HashMap<>();
  private static Process stack;
  private static Path console;
  private static int starts;

  @BeforeAll
  static void startStack() throws IOException {
    Checkout.assumeServiceJarsBuilt("ingest-gateway", "run-processor", "incidents-service");
    work = Checkout.freshDirectory("it-local-stack");
    dataDir = work.resolve("data");
    for (String port :
        List.of(
            "TCPORTAL_KAFKA_PORT",
            "TCPORTAL_KAFKA_CONTROLLER_PORT",
            "TCPORTAL_POSTGRES_PORT",
            "TCPORTAL_GATEWAY_PORT",
            "TCPORTAL_INCIDENTS_PORT",
            "TCPORTAL_PROCESSOR_PORT")) {
      ports.put(port, Checkout.freePort());
    }
    launch();
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
  void printsTheUrlsTheSecretsAndAFirstReportToPost() throws IOException {
    String secret = Files.readString(dataDir.resolve("webhook-secret")).trim();
    String adminPassword = Files.readString(dataDir.resolve("admin-password")).trim();
    String banner = consoleText();

    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(banner)
        .contains("http://localhost:" + ports.get("TCPORTAL_GATEWAY_PORT") + "/api/monitor/report")
        .contains("http://localhost:" + ports.get("TCPORTAL_INCIDENTS_PORT") + "/incidents")
        .contains("Webhook secret    : " + secret)
        .contains("Admin login       : admin / " + adminPassword)
        .contains(LocalStack.READY_LINE);
    assertThat(printedLine("curl ")).contains("X-TC-Portal-Secret: " + secret);
    assertThat(printedLine("TC_PORTAL_BASE_URL=")).contains("report_task_status(");
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
  void keepsMonitorsAndRunsAcrossARestart() throws Exception {
    String secretBefore = Files.readString(dataDir.resolve("webhook-secret")).trim();
    launch();

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
  private static void launch() throws IOException {
    starts++;
    console = work.resolve("console-" + starts + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Checkout.stackJar().toString())
            .directory(Checkout.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    Map<String, String> env = builder.environment();
    env.remove("TC_PORTAL_WEBHOOK_SECRET");
    env.remove("TC_PORTAL_ADMIN_PASSWORD");
    env.put("TCPORTAL_DATA_DIR", dataDir.toString());
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
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
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

  private static IncidentsApi incidentsApi() throws IOException {
    return new IncidentsApi(
        ports.get("TCPORTAL_INCIDENTS_PORT"),
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
