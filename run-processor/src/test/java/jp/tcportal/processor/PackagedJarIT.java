package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The executable jar, started with {@code java -jar} as an operator would: it migrates an empty
 * database, reports UP on port management, and stores a report. A starter missing from the main
 * scope fails this test, not a user.
 */
class PackagedJarIT {

  // Generous: on a loaded 2-core machine the jar alone can take a minute to start.
  private static final Duration PATIENCE = Duration.ofSeconds(240);

  private static EmbeddedKafkaKraftBroker broker;
  private static Process processor;
  private static String databaseUrl;
  private static int port;

  @BeforeAll
  static void startTheJar() throws IOException {
    broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.afterPropertiesSet();
    databaseUrl = TestPostgres.newDatabase("packaged_jar");
    port = freePort();
    Path log = Path.of("target", "packaged-jar-it.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                packagedJar().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("SPRING_DATASOURCE_URL", databaseUrl);
    builder.environment().put("SPRING_DATASOURCE_USERNAME", TestPostgres.USER);
    builder.environment().put("SPRING_DATASOURCE_PASSWORD", TestPostgres.PASSWORD);
    builder.environment().put("SPRING_KAFKA_BOOTSTRAP_SERVERS", broker.getBrokersAsString());
    builder.environment().put("SERVER_PORT", String.valueOf(port));
    builder.environment().put("TCPORTAL_TOPICS_PARTITIONS", "3");
    processor = builder.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (processor != null) {
      processor.destroy();
      processor.waitFor();
    }
    if (broker != null) {
      broker.destroy();
    }
  }

  @Test
  void theJarStartsHealthyAndStoresAReport() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(10))
            .build();
    await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(processor.isAlive()).as("processor still running").isTrue();
              HttpResponse<String> response =
                  http.send(health, HttpResponse.BodyHandlers.ofString());
              return response.statusCode() == 200 && response.body().contains("kafkaListener");
            });

    RunReported report =
        Reports.fromBody(Reports.body(Reports.uniqueKey("jar"), "success", "2026-01-22T09:00:00Z"));
    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString())) {
      kafka.send(report);
    }

    await().atMost(PATIENCE).until(() -> storedRuns(report) == 1);
  }

  private static int storedRuns(RunReported report) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(databaseUrl, TestPostgres.USER, TestPostgres.PASSWORD);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM task_monitor_runs r JOIN task_monitors m"
                    + " ON m.id = r.monitor_id WHERE r.report_id = ? AND m.last_status = 'success'")) {
      query.setObject(1, report.reportId());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static Path packagedJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> jars =
          files
              .filter(path -> path.getFileName().toString().matches("run-processor-.*\\.jar"))
              .toList();
      assertThat(jars).as("the repackaged jar in target/").hasSize(1);
      return jars.get(0).toAbsolutePath();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
