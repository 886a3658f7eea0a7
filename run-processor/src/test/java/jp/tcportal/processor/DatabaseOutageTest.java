package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.topic.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * PostgreSQL goes away while reports keep arriving, then comes back on the same data directory and
 * port: every report is stored exactly once, none is dead-lettered, and nobody restarts anything.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.topics.partitions=3",
      "tcportal.processor.relay-interval=200ms",
      "tcportal.processor.retry-initial-interval=200ms",
      "tcportal.processor.retry-max-interval=1s",
      "spring.datasource.hikari.connection-timeout=1000"
    })
@AutoConfigureWebTestClient
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class DatabaseOutageTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path DATA_DIRECTORY = Path.of("target", "outage-postgres").toAbsolutePath();
  private static final int PORT = freePort();

  private static EmbeddedPostgres postgres;
  private static KafkaProbe kafka;

  @Autowired private JdbcTemplate jdbc;
  @Autowired private WebTestClient web;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    FileSystemUtils.deleteRecursively(DATA_DIRECTORY);
    postgres = startPostgres();
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
  }

  @BeforeAll
  static void connect(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
    kafka = new KafkaProbe(bootstrapServers);
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void resumesByItselfWhenTheDatabaseComesBackAndSkipsNothing() throws IOException {
    String key = Reports.uniqueKey("outage");
    List<RunReported> before = reports(key, 0, 4);
    before.forEach(kafka::send);
    await().atMost(PATIENCE).until(() -> storedCount(before) == before.size());

    postgres.close();
    List<RunReported> during = reports(key, 4, 24);
    during.forEach(kafka::send);
    // A redelivered report during the outage must still be stored only once.
    kafka.send(before.get(0));
    kafka.send(during.get(0));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                health()
                    .jsonPath("$.components.kafkaListener.status")
                    .isEqualTo("DOWN")
                    .jsonPath("$.components.kafkaListener.details.consecutiveFailures")
                    .exists()
                    .jsonPath("$.components.liquibase.status")
                    .isEqualTo("DOWN"));

    postgres = startPostgres();

    List<RunReported> all = new ArrayList<>(before);
    all.addAll(during);
    await().atMost(PATIENCE).ignoreExceptions().until(() -> storedCount(all) == all.size());
    Set<UUID> monitorIds = all.stream().map(RunReported::monitorId).collect(Collectors.toSet());
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM task_monitor_runs r JOIN task_monitors m ON m.id = r.monitor_id"
                    + " WHERE m.task_key LIKE ?",
                Integer.class,
                key + "%"))
        .isEqualTo(all.size());
    // The newest report of each monitor is its state: nothing was applied out of order.
    for (UUID monitorId : monitorIds) {
      RunReported newest =
          all.stream()
              .filter(r -> r.monitorId().equals(monitorId))
              .max(java.util.Comparator.comparing(RunReported::occurredAt))
              .orElseThrow();
      assertThat(
              jdbc.queryForObject(
                  "SELECT last_report_id FROM task_monitors WHERE id = ?", UUID.class, monitorId))
          .isEqualTo(newest.reportId());
    }
    assertThat(kafka.records(Topics.RUN_REPORTED_DEAD_LETTER.name()))
        .noneMatch(r -> r.key() != null && monitorIds.contains(UUID.fromString(r.key())));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> health().jsonPath("$.components.kafkaListener.status").isEqualTo("UP"));
  }

  /** Reports {@code from..to-1} spread over three monitors, each finishing a minute later. */
  private static List<RunReported> reports(String key, int from, int to) {
    List<RunReported> reports = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String status = i % 3 == 0 ? "failed" : "success";
      String finishedAt = "2026-01-22T%02d:%02d:00Z".formatted(i / 60, i % 60);
      reports.add(Reports.fromBody(Reports.body(key + "_" + (i % 3), status, finishedAt)));
    }
    return reports;
  }

  private int storedCount(List<RunReported> reports) {
    UUID[] ids = reports.stream().map(RunReported::reportId).toArray(UUID[]::new);
    return jdbc.query(
        "SELECT count(*) FROM task_monitor_runs WHERE report_id = ANY(?)",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)),
        rs -> {
          rs.next();
          return rs.getInt(1);
        });
  }

  private WebTestClient.BodyContentSpec health() {
    return web.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build()
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectBody();
  }

  private static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder()
          .setDataDirectory(DATA_DIRECTORY)
          .setCleanDataDirectory(false)
          .setPort(PORT)
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
