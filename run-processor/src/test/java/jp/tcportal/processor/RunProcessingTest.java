package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import jp.tcportal.processor.deadletter.DeadLetters;
import jp.tcportal.processor.monitor.TaskMonitorRuns;
import jp.tcportal.processor.monitor.TaskMonitors;
import jp.tcportal.processor.outbox.StatusOutbox;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.RunStatus;
import jp.tcportal.schema.topic.Topics;
import jp.tcportal.testsupport.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processor end to end on a real KRaft broker and PostgreSQL 17: events go in the way the
 * gateway writes them, and the assertions read the tables and the output topics.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.topics.partitions=3",
      "tcportal.processor.relay-interval=100ms",
      "tcportal.processor.retry-initial-interval=200ms",
      "tcportal.processor.retry-max-interval=2s",
      "tcportal.processor.concurrency=3"
    })
@AutoConfigureWebTestClient
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class RunProcessingTest {

  private static final Duration PATIENCE = Duration.ofSeconds(45);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String url = TestPostgres.newDatabase("processor");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
  }

  private static KafkaProbe kafka;

  @Autowired private JdbcTemplate jdbc;
  @Autowired private DataSource dataSource;
  @Autowired private WebTestClient web;
  @Autowired private Environment environment;
  @Autowired private TaskMonitors monitors;
  @Autowired private TaskMonitorRuns runs;
  @Autowired private KafkaTemplate<Object, Object> kafkaTemplate;
  @Autowired private MeterRegistry meters;

  private Tables tables;

  @BeforeAll
  static void connect(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
    kafka = new KafkaProbe(bootstrapServers);
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void readTables() {
    tables = new Tables(jdbc);
  }

  @Test
  void storesMonitorAndRunWithTheSpecValuesAndRaw() {
    String key = Reports.uniqueKey("nightly_import");
    RunReported event =
        Reports.fromBody(
            """
            {"task_key": "%s", "task_name": "ナイトリー取込", "kind": "python", "status": "success",
             "started_at": "2026-01-22T09:00:00Z", "finished_at": "2026-01-22T09:05:30Z",
             "duration_ms": 330000, "exit_code": 0, "message": "処理完了: 100件",
             "log_url": "C:\\\\Logs\\\\import.log", "machine_name": "PC-01", "extra": {"k": [1, 2]}}
            """
                .formatted(key));

    kafka.send(event);

    Map<String, Object> monitor = awaitMonitor(key, "python", "PC-01");
    assertThat(monitor)
        .containsEntry("id", event.monitorId())
        .containsEntry("task_name", "ナイトリー取込")
        .containsEntry("enabled", true)
        .containsEntry("last_status", "success")
        .containsEntry("last_exit_code", 0)
        .containsEntry("last_message", "処理完了: 100件")
        .containsEntry("last_log_url", "C:\\Logs\\import.log")
        .containsEntry("last_duration_ms", 330000)
        .containsEntry("last_report_id", event.reportId())
        .containsEntry("failure_streak", 0);
    assertThat(instant(monitor, "last_started_at"))
        .isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    assertThat(instant(monitor, "last_finished_at"))
        .isEqualTo(Instant.parse("2026-01-22T09:05:30Z"));
    assertThat(instant(monitor, "last_occurred_at"))
        .isEqualTo(Instant.parse("2026-01-22T09:05:30Z"));

    List<Map<String, Object>> stored = tables.runsOf(event.monitorId());
    assertThat(stored).hasSize(1);
    Map<String, Object> run = stored.get(0);
    assertThat(run)
        .containsEntry("status", "success")
        .containsEntry("duration_ms", 330000)
        .containsEntry("exit_code", 0)
        .containsEntry("message", "処理完了: 100件")
        .containsEntry("log_url", "C:\\Logs\\import.log")
        .containsEntry("report_id", event.reportId());
    assertThat(instant(run, "started_at")).isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    assertThat(instant(run, "finished_at")).isEqualTo(Instant.parse("2026-01-22T09:05:30Z"));
    assertThat(instant(run, "received_at")).isEqualTo(event.receivedAt());
    JsonNode raw = EventJson.mapper().readTree((String) run.get("raw_text"));
    assertThat(raw).isEqualTo(event.raw());
    assertThat(raw.get("extra").get("k").get(1).intValue()).isEqualTo(2);
  }

  @Test
  void storesTheSameReportOnce() {
    String key = Reports.uniqueKey("dup");
    RunReported event = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T09:00:00Z"));

    kafka.send(event);
    kafka.send(event);
    RunReported marker = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T10:00:00Z"));
    kafka.send(marker);

    await().atMost(PATIENCE).until(() -> !tables.runsWithReport(marker.reportId()).isEmpty());
    assertThat(tables.runsWithReport(event.reportId())).hasSize(1);
    assertThat(tables.runCount(key)).isEqualTo(2);
    // The repeated failure did not count twice: two distinct failed runs make a streak of 2.
    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("failure_streak", 2);
  }

  @Test
  void keepsTheNewerStateWhenALateReportArrives() {
    String key = Reports.uniqueKey("late");
    RunReported newer = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T10:00:00Z"));
    RunReported older = Reports.fromBody(Reports.body(key, "success", "2026-01-22T09:00:00Z"));

    kafka.send(newer);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    kafka.send(older);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 2);

    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("last_status", "failed")
        .containsEntry("last_report_id", newer.reportId())
        .containsEntry("failure_streak", 1);
  }

  @Test
  void treatsAnAbsentAndANamedMachineAsTwoMonitors() {
    String key = Reports.uniqueKey("machines");
    String template =
        """
        {"task_key": "%s", "task_name": "t", "kind": "bat", "status": "success" %s}
        """;
    RunReported absent = Reports.fromBody(template.formatted(key, ""));
    RunReported empty = Reports.fromBody(template.formatted(key, ", \"machine_name\": \"\""));
    RunReported named = Reports.fromBody(template.formatted(key, ", \"machine_name\": \"PC-01\""));

    kafka.send(absent);
    kafka.send(empty);
    kafka.send(named);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 3);
    List<Map<String, Object>> both = tables.monitors(key);
    assertThat(both).extracting(row -> row.get("machine_name")).containsExactly(null, "PC-01");
    assertThat(tables.runsOf((UUID) both.get(0).get("id"))).hasSize(2);
    assertThat(tables.runsOf((UUID) both.get(1).get("id"))).hasSize(1);
  }

  @Test
  void taskNameFollowsTheNewestReport() {
    String key = Reports.uniqueKey("renamed");
    String template =
        """
        {"task_key": "%s", "task_name": "%s", "kind": "python", "status": "success",
         "finished_at": "%s"}
        """;
    kafka.send(Reports.fromBody(template.formatted(key, "旧名", "2026-01-22T09:00:00Z")));
    kafka.send(Reports.fromBody(template.formatted(key, "新名", "2026-01-22T10:00:00Z")));
    kafka.send(Reports.fromBody(template.formatted(key, "遅れた名", "2026-01-22T08:00:00Z")));

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 3);
    assertThat(tables.monitor(key, "python", null).orElseThrow()).containsEntry("task_name", "新名");
  }

  @Test
  void neverTouchesEnabled() {
    String key = Reports.uniqueKey("disabled");
    RunReported first = Reports.fromBody(Reports.body(key, "success", "2026-01-22T09:00:00Z"));
    kafka.send(first);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    jdbc.update("UPDATE task_monitors SET enabled = false WHERE id = ?", first.monitorId());

    RunReported second = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T10:00:00Z"));
    kafka.send(second);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 2);
    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("enabled", false)
        .containsEntry("last_status", "failed")
        .containsEntry("last_report_id", second.reportId());
  }

  @Test
  void derivesTheDurationFromTheTwoInstantsWhenTheClientSentNone() {
    String key = Reports.uniqueKey("derived");
    RunReported event =
        Reports.fromBody(
            """
            {"task_key": "%s", "task_name": "t", "kind": "python", "status": "success",
             "started_at": "2026-01-22T09:00:00Z", "finished_at": "2026-01-22T18:05:30.250+09:00"}
            """
                .formatted(key));

    kafka.send(event);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    assertThat(tables.runsWithReport(event.reportId()).get(0)).containsEntry("duration_ms", 330250);
    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("last_duration_ms", 330250);
  }

  @Test
  void countsTheFailureStreakAndPublishesEachStatusChangeButNotARepeatedSuccess() {
    String key = Reports.uniqueKey("streak");
    String[][] steps = {
      {"success", "2026-01-22T01:00:00Z"},
      {"success", "2026-01-22T02:00:00Z"},
      {"failed", "2026-01-22T03:00:00Z"},
      {"failed", "2026-01-22T04:00:00Z"},
      {"failed", "2026-01-22T05:00:00Z"},
      {"success", "2026-01-22T06:00:00Z"}
    };
    int[] expectedStreak = {0, 0, 1, 2, 3, 0};
    UUID monitorId = null;
    for (int i = 0; i < steps.length; i++) {
      RunReported event = Reports.fromBody(Reports.body(key, steps[i][0], steps[i][1]));
      monitorId = event.monitorId();
      kafka.send(event);
      int stored = i + 1;
      await().atMost(PATIENCE).until(() -> tables.runCount(key) == stored);
      assertThat(tables.monitor(key, "python", null).orElseThrow())
          .containsEntry("failure_streak", expectedStreak[i]);
    }

    UUID id = monitorId;
    await().atMost(PATIENCE).until(() -> statusChangesOf(id).size() >= 5);
    List<MonitorStatusChanged> changes = statusChangesOf(id);
    assertThat(changes)
        .extracting(MonitorStatusChanged::previousStatus, MonitorStatusChanged::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, RunStatus.SUCCESS),
            org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCESS, RunStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, RunStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, RunStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, RunStatus.SUCCESS));
    assertThat(changes)
        .extracting(MonitorStatusChanged::failureStreak)
        .containsExactly(0, 1, 2, 3, 0);
    assertThat(changes).allSatisfy(change -> assertThat(change.taskKey()).isEqualTo(key));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                jdbc.queryForObject("SELECT count(*) FROM tcportal_event_outbox", Long.class) == 0);
  }

  @Test
  void relaysTheOutboxOnlyWhileNoOtherReplicaHoldsTheRelayLock() throws Exception {
    String eventKey = UUID.randomUUID().toString();
    String waiting = "SELECT count(*) FROM tcportal_event_outbox WHERE event_key = ?";
    try (Connection otherReplica = dataSource.getConnection();
        Statement statement = otherReplica.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + StatusOutbox.RELAY_LOCK + ")");
      jdbc.update(
          "INSERT INTO tcportal_event_outbox (topic, event_key, payload) VALUES (?, ?, ?::jsonb)",
          Topics.MONITOR_STATUS_CHANGED.name(),
          eventKey,
          "{\"probe\": true}");

      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(10))
          .until(() -> jdbc.queryForObject(waiting, Integer.class, eventKey) == 1);

      statement.execute("SELECT pg_advisory_unlock(" + StatusOutbox.RELAY_LOCK + ")");
    }
    await()
        .atMost(PATIENCE)
        .until(() -> jdbc.queryForObject(waiting, Integer.class, eventKey) == 0);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kafka.records(Topics.MONITOR_STATUS_CHANGED.name()).stream()
                    .anyMatch(record -> eventKey.equals(record.key())));
  }

  @Test
  void deadLettersUnreadableJsonAndStillProcessesTheNextRecord() {
    String badKey = "unreadable-" + UUID.randomUUID();
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
    String key = Reports.uniqueKey("after_garbage");
    RunReported good = Reports.fromBody(Reports.body(key, "success", "2026-01-22T09:00:00Z"));

    kafka.sendRaw(badKey, garbage);
    kafka.send(good);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(badKey);
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("UNREADABLE");
    assertThat(header(dead, "kafka_dlt-exception-message")).isNotBlank();
    assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.RUN_REPORTED.name());
  }

  @Test
  void deadLettersAnEventThatBreaksTheReportRules() {
    String key = Reports.uniqueKey("invalid");
    RunReported valid = Reports.fromBody(Reports.body(key, "success", "2026-01-22T09:00:00Z"));
    RunReported blankName =
        new RunReported(
            valid.schemaVersion(),
            valid.reportId(),
            valid.monitorId(),
            valid.receivedAt(),
            valid.taskKey(),
            "  ",
            valid.kind(),
            valid.status(),
            valid.startedAt(),
            valid.finishedAt(),
            valid.durationMs(),
            valid.exitCode(),
            valid.message(),
            valid.logUrl(),
            valid.machineName(),
            valid.raw());
    String badKey = "invalid-" + UUID.randomUUID();
    RunReported next = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T10:00:00Z"));

    kafka.sendRaw(badKey, Reports.json(blankName));
    kafka.send(next);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(badKey);
    assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("INVALID_EVENT");
    assertThat(header(dead, "kafka_dlt-exception-message"))
        .isEqualTo("task_name must not be blank");
    assertThat(tables.runsWithReport(valid.reportId())).isEmpty();
  }

  @Test
  void deadLettersOnlyTheRecordThatPostgresRefuses() {
    String key = Reports.uniqueKey("nul");
    // The gateway refuses a body like this, but a producer that bypasses it could still write one:
    // the report fields are valid, and only PostgreSQL notices that jsonb cannot hold U+0000. The
    // batch fails with SQLState 22P05, and only this record may be dead-lettered.
    RunReported base = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T09:00:00Z"));
    ObjectNode rawWithNul = ((ObjectNode) base.raw().deepCopy()).put("note", "a\u0000b");
    RunReported refused =
        new RunReported(
            base.schemaVersion(),
            base.reportId(),
            base.monitorId(),
            base.receivedAt(),
            base.taskKey(),
            base.taskName(),
            base.kind(),
            base.status(),
            base.startedAt(),
            base.finishedAt(),
            base.durationMs(),
            base.exitCode(),
            base.message(),
            base.logUrl(),
            base.machineName(),
            rawWithNul);
    RunReported good = Reports.fromBody(Reports.body(key, "success", "2026-01-22T10:00:00Z"));
    String refusedKey = refused.monitorId().toString();

    kafka.send(refused);
    kafka.send(good);

    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    assertThat(tables.runsWithReport(good.reportId())).hasSize(1);
    assertThat(tables.runsWithReport(refused.reportId())).isEmpty();
    ConsumerRecord<String, byte[]> dead =
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    kafka.records(Topics.RUN_REPORTED_DEAD_LETTER.name()).stream()
                        .filter(r -> refusedKey.equals(r.key()))
                        .filter(
                            r -> "REFUSED_BY_DATABASE".equals(header(r, DeadLetters.REASON_HEADER)))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(header(dead, "kafka_dlt-exception-message")).contains("22P05");
  }

  @Test
  void sizesTheDeadLetterPathAtLeastAsLargeAsTheRunTopic() {
    long runTopic =
        Long.parseLong(kafka.topicConfig(Topics.RUN_REPORTED.name(), "max.message.bytes"));
    long deadLetterTopic =
        Long.parseLong(
            kafka.topicConfig(Topics.RUN_REPORTED_DEAD_LETTER.name(), "max.message.bytes"));
    long producer =
        Long.parseLong(
            String.valueOf(
                kafkaTemplate
                    .getProducerFactory()
                    .getConfigurationProperties()
                    // Kafka's default when unset.
                    .getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)));

    assertThat(runTopic).isEqualTo(Topics.RUN_REPORTED_MAX_MESSAGE_BYTES);
    // A refused record of the run topic plus its reason headers fits the DLT and the producer.
    assertThat(deadLetterTopic).isGreaterThanOrEqualTo(runTopic + 64 * 1024);
    assertThat(producer).isGreaterThanOrEqualTo(deadLetterTopic);
  }

  @Test
  void deadLettersARefusedRecordNearOneMebibyteAndStoresTheNextReportOfItsPartitionWithinSeconds() {
    String key = Reports.uniqueKey("after_large_garbage");
    RunReported good = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T09:00:00Z"));
    // Same key, so same partition: the good report waits behind the refused one.
    String sharedKey = good.monitorId().toString();
    byte[] garbage = ("x".repeat(1024 * 1024 - 256)).getBytes(StandardCharsets.UTF_8);

    kafka.sendRaw(sharedKey, garbage);
    kafka.send(good);

    long sent = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> tables.runCount(key) == 1);
    org.slf4j.LoggerFactory.getLogger(RunProcessingTest.class)
        .info(
            "The report behind a refused 1 MiB record was stored {} ms after it was sent",
            (System.nanoTime() - sent) / 1_000_000);
    ConsumerRecord<String, byte[]> dead =
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    kafka.records(Topics.RUN_REPORTED_DEAD_LETTER.name()).stream()
                        .filter(r -> sharedKey.equals(r.key()))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("UNREADABLE");
    assertThat(parkedWithKey(sharedKey)).isEmpty();
  }

  @Test
  void parksARefusedRecordThatTheDeadLetterTopicWillNotTakeAndMovesOn() {
    String dlt = Topics.RUN_REPORTED_DEAD_LETTER.name();
    String configured = kafka.topicConfig(dlt, "max.message.bytes");
    String key = Reports.uniqueKey("after_parked");
    RunReported good = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T09:00:00Z"));
    String sharedKey = good.monitorId().toString();
    byte[] garbage = ("{\"unreadable\": " + "9".repeat(16 * 1024)).getBytes(StandardCharsets.UTF_8);
    byte[] invalid = Reports.json(withoutTaskKey(good));
    double parkedBefore = parkedCount("UNREADABLE");
    // An operator shrank the DLT (or it was created with a small limit): no send can succeed.
    kafka.setTopicConfig(dlt, "max.message.bytes", "4096");
    try {
      await().until(() -> kafka.topicConfig(dlt, "max.message.bytes").equals("4096"));

      // Two refused records ahead of a good one, on one partition.
      kafka.sendRaw(sharedKey, garbage);
      kafka.sendRaw(sharedKey, invalid);
      kafka.send(good);

      // The good report is stored on the first delivery; the partition has moved on once the
      // refused record is parked and the batch committed.
      await().atMost(PATIENCE).until(() -> parkedWithKey(sharedKey).size() == 2);
      await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    } finally {
      kafka.setTopicConfig(dlt, "max.message.bytes", configured);
    }
    List<Map<String, Object>> parked = parkedWithKey(sharedKey);
    assertThat(parked).extracting(row -> row.get("reason")).contains("UNREADABLE", "INVALID_EVENT");
    // A record that was read is parked as the JSON the dead-letter topic would have received.
    assertThat(EventJson.mapper().readTree((byte[]) parked.get(1).get("record_value")))
        .isEqualTo(EventJson.mapper().readTree(invalid));
    assertThat(parked.get(0))
        .satisfies(
            row -> {
              assertThat(row)
                  .containsEntry("topic", Topics.RUN_REPORTED.name())
                  .containsEntry("reason", "UNREADABLE")
                  .containsEntry("record_value", garbage);
              assertThat((String) row.get("detail")).contains("not a readable RunReported");
              assertThat((String) row.get("dead_letter_error")).isNotBlank();
              assertThat(row.get("parked_at")).isNotNull();
            });
    assertThat(parkedCount("UNREADABLE")).isEqualTo(parkedBefore + 1);
    assertThat(kafka.records(dlt).stream().filter(r -> sharedKey.equals(r.key())).toList())
        .isEmpty();
  }

  @Test
  void aReportDatedFarInTheFutureDoesNotHideTheFailureReportedAfterIt() {
    String key = Reports.uniqueKey("future");
    Instant now = Instant.now();
    RunReported future =
        Reports.fromBody(
            Reports.body(key, "success", "2099-01-01T00:00:00Z"), now.minusSeconds(10));
    RunReported failure =
        Reports.fromBody(Reports.body(key, "failed", now.minusSeconds(5).toString()), now);

    kafka.send(future);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    Map<String, Object> afterFuture = tables.monitor(key, "python", null).orElseThrow();
    // The client's instant is kept as it said; the ordering instant is the arrival.
    assertThat(instant(afterFuture, "last_finished_at"))
        .isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
    assertThat(instant(afterFuture, "last_occurred_at")).isEqualTo(future.receivedAt());

    kafka.send(failure);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 2);

    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("last_status", "failed")
        .containsEntry("last_report_id", failure.reportId())
        .containsEntry("failure_streak", 1);
    assertThat(badgeCount(key)).isEqualTo(1);
  }

  @Test
  void aMonitorThatAlreadyHoldsAFutureInstantRecoversOnItsNextReport() {
    String key = Reports.uniqueKey("frozen");
    RunReported failure =
        Reports.fromBody(Reports.body(key, "failed", Instant.now().minusSeconds(5).toString()));
    // Stored before the rule existed: the 2099 instant decided, and nothing recorded its arrival.
    jdbc.update(
        """
        INSERT INTO task_monitors (id, task_key, task_name, kind, last_status, last_finished_at,
                                   last_occurred_at, updated_at)
        VALUES (?, ?, 't', 'python', 'success', '2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z',
                now() - interval '1 hour')
        """,
        failure.monitorId(),
        key);

    kafka.send(failure);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);

    assertThat(tables.monitor(key, "python", null).orElseThrow())
        .containsEntry("last_status", "failed")
        .containsEntry("last_report_id", failure.reportId());
    assertThat(badgeCount(key)).isEqualTo(1);
  }

  @Test
  void aClockAFewSecondsAheadWithinTheToleranceStillOrdersByTheClientsInstant() {
    String key = Reports.uniqueKey("ahead");
    Instant now = Instant.now();
    RunReported ahead =
        Reports.fromBody(
            Reports.body(key, "success", now.plusSeconds(40).toString()), now.minusSeconds(1));
    RunReported lateButOlder =
        Reports.fromBody(Reports.body(key, "failed", now.plusSeconds(20).toString()), now);

    kafka.send(ahead);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
    kafka.send(lateButOlder);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 2);

    Map<String, Object> monitor = tables.monitor(key, "python", null).orElseThrow();
    assertThat(monitor)
        .containsEntry("last_status", "success")
        .containsEntry("last_report_id", ahead.reportId());
    assertThat(instant(monitor, "last_occurred_at"))
        .isEqualTo(Instant.parse(ahead.finishedAt().toString()));
  }

  @Test
  void aReportOfTheSameSecondThatArrivesInALaterBatchWinsInEitherOrder() {
    for (String[] order : new String[][] {{"success", "failed"}, {"failed", "success"}}) {
      String key = Reports.uniqueKey("tie_" + order[1]);
      RunReported first = Reports.fromBody(Reports.body(key, order[0], "2026-01-22T09:00:00Z"));
      RunReported second = Reports.fromBody(Reports.body(key, order[1], "2026-01-22T09:00:00Z"));

      kafka.send(first);
      await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);
      kafka.send(second);
      await().atMost(PATIENCE).until(() -> tables.runCount(key) == 2);

      assertThat(tables.monitor(key, "python", null).orElseThrow())
          .containsEntry("last_status", order[1])
          .containsEntry("last_report_id", second.reportId());
    }
  }

  @Test
  void startsOnTheMigratedSchemaWithHibernateOnlyValidating() {
    assertThat(environment.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("validate");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM databasechangelog WHERE id = '003-status-outbox'",
                Integer.class))
        .isEqualTo(1);
    String key = Reports.uniqueKey("entity");
    RunReported event = Reports.fromBody(Reports.body(key, "failed", "2026-01-22T09:00:00Z"));
    kafka.send(event);
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);

    var monitor = monitors.findByIdentity(key, "python", null).orElseThrow();
    assertThat(monitor.lastStatus()).isEqualTo("failed");
    assertThat(monitor.failureStreak()).isEqualTo(1);
    var run = runs.findByReportId(event.reportId()).orElseThrow();
    assertThat(run.monitorId()).isEqualTo(monitor.id());
    assertThat(EventJson.mapper().readTree(run.raw())).isEqualTo(event.raw());
  }

  @Test
  void reportsHealthAndMetricsOnTheManagementEndpoints() {
    String key = Reports.uniqueKey("metrics");
    kafka.send(Reports.fromBody(Reports.body(key, "success", "2026-01-22T09:00:00Z")));
    await().atMost(PATIENCE).until(() -> tables.runCount(key) == 1);

    web.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.db.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafkaListener.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafkaListener.details.running")
        .isEqualTo(true)
        .jsonPath("$.components.liquibase.status")
        .isEqualTo("UP")
        .jsonPath("$.components.liquibase.details.latestChangeset")
        .isNotEmpty();
    web.get().uri("/actuator/liquibase").exchange().expectStatus().isOk();
    String scrape =
        web.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(scrape)
        .contains("tcportal_processor_runs_stored_total")
        .contains("tcportal_processor_runs_duplicates_total")
        .contains("tcportal_processor_records_dead_lettered_total")
        .contains("tcportal_processor_records_parked_total")
        .contains("tcportal_processor_batch_duration_seconds")
        .contains("tcportal_processor_outbox_relayed_total")
        .contains("tcportal_processor_outbox_backlog");
  }

  @Test
  void storesTwentyThousandReportsOnceEachInBatches() {
    String key = Reports.uniqueKey("load");
    int monitorCount = 200;
    int perMonitor = 100;
    List<RunReported> load = new java.util.ArrayList<>(monitorCount * perMonitor);
    for (int run = 0; run < perMonitor; run++) {
      for (int monitor = 0; monitor < monitorCount; monitor++) {
        String status = (run + monitor) % 7 == 0 ? "failed" : "success";
        String finishedAt = Instant.parse("2026-01-22T00:00:00Z").plusSeconds(run * 60L).toString();
        load.add(Reports.fromBody(Reports.body(key + "_" + monitor, status, finishedAt)));
      }
    }
    kafka.sendAll(load);
    long started = System.nanoTime();

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                jdbc.queryForObject(
                        "SELECT count(*) FROM task_monitor_runs r JOIN task_monitors m"
                            + " ON m.id = r.monitor_id WHERE m.task_key LIKE ?",
                        Integer.class,
                        key + "\\_%")
                    == load.size());
    double seconds = (System.nanoTime() - started) / 1e9;
    org.slf4j.LoggerFactory.getLogger(RunProcessingTest.class)
        .info(
            "Stored {} reports in {} s ({} reports/s)",
            load.size(),
            seconds,
            load.size() / seconds);

    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM task_monitors WHERE task_key LIKE ?",
                Integer.class,
                key + "\\_%"))
        .isEqualTo(monitorCount);
    // Every monitor ends on its newest run, whatever the batches looked like.
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM task_monitors WHERE task_key LIKE ?"
                    + " AND last_occurred_at = ?::timestamptz",
                Integer.class,
                key + "\\_%",
                Instant.parse("2026-01-22T00:00:00Z")
                    .plusSeconds((perMonitor - 1) * 60L)
                    .toString()))
        .isEqualTo(monitorCount);
  }

  /** The spec's badge rule, for one task. */
  private int badgeCount(String key) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled"
            + " AND task_key = ?",
        Integer.class,
        key);
  }

  private List<Map<String, Object>> parkedWithKey(String recordKey) {
    return jdbc.queryForList(
        "SELECT * FROM tcportal_parked_records WHERE record_key = ? ORDER BY kafka_offset",
        recordKey);
  }

  /** The same event with a blank task_key: readable, but the gateway's rules refuse it. */
  private static RunReported withoutTaskKey(RunReported valid) {
    return new RunReported(
        valid.schemaVersion(),
        valid.reportId(),
        valid.monitorId(),
        valid.receivedAt(),
        " ",
        valid.taskName(),
        valid.kind(),
        valid.status(),
        valid.startedAt(),
        valid.finishedAt(),
        valid.durationMs(),
        valid.exitCode(),
        valid.message(),
        valid.logUrl(),
        valid.machineName(),
        valid.raw());
  }

  private double parkedCount(String reason) {
    io.micrometer.core.instrument.Counter counter =
        meters.find("tcportal.processor.records.parked").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private Map<String, Object> awaitMonitor(String key, String kind, String machine) {
    return await()
        .atMost(PATIENCE)
        .until(() -> tables.monitor(key, kind, machine), java.util.Optional::isPresent)
        .orElseThrow();
  }

  private List<MonitorStatusChanged> statusChangesOf(UUID monitorId) {
    return kafka.records(Topics.MONITOR_STATUS_CHANGED.name()).stream()
        .filter(r -> monitorId.toString().equals(r.key()))
        .map(r -> EventJson.mapper().readValue(r.value(), MonitorStatusChanged.class))
        .toList();
  }

  private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
    return await()
        .atMost(PATIENCE)
        .until(
            () ->
                kafka.records(Topics.RUN_REPORTED_DEAD_LETTER.name()).stream()
                    .filter(r -> key.equals(r.key()))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Instant instant(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value == null ? null : ((Timestamp) value).toInstant();
  }
}
