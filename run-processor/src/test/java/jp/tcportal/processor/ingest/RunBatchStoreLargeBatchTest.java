package jp.tcportal.processor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store on its own, batch by batch: a batch whose bodies add up to more than one insert
 * statement may carry is stored in several statements, in the same transaction, with every body
 * intact; and reports of the same instant within one batch are decided by arrival.
 */
@SpringBootTest(properties = "tcportal.topics.partitions=1")
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class RunBatchStoreLargeBatchTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String url = TestPostgres.newDatabase("processor_large_batch");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
  }

  @Autowired private RunBatchStore store;
  @Autowired private JdbcTemplate jdbc;

  @Test
  void splitsABatchOfLargeBodiesAcrossStatementsAndStoresEveryBodyWhole() {
    String key = "large_" + UUID.randomUUID().toString().substring(0, 8);
    int reports = 40;
    int padding = 450_000;
    List<RunReported> batch = new ArrayList<>();
    for (int i = 0; i < reports; i++) {
      // 450 KB each, well under the 1 MiB limit of one report; 40 of them need two statements.
      String body =
          """
          {"task_key": "%s_%d", "task_name": "大きい本文", "kind": "bat", "status": "failed",
           "exit_code": 1, "padding": "%s"}
          """
              .formatted(key, i, "x".repeat(padding));
      ReportParser.ParsedReport parsed = ReportParser.parse(body.getBytes(StandardCharsets.UTF_8));
      batch.add(
          RunReported.of(
              UUID.randomUUID(),
              Instant.now().truncatedTo(ChronoUnit.MICROS),
              parsed.report(),
              parsed.body()));
    }
    assertThat(reports * padding).isGreaterThan(RunBatchStore.MAX_CHARS_PER_INSERT);

    RunBatchStore.Stored stored = store.store(batch);

    assertThat(stored.runs()).isEqualTo(reports);
    assertThat(stored.duplicates()).isZero();
    List<Integer> paddingLengths =
        jdbc.queryForList(
            "SELECT length(r.raw->>'padding') FROM task_monitor_runs r"
                + " JOIN task_monitors m ON m.id = r.monitor_id WHERE m.task_key LIKE ?",
            Integer.class,
            key + "\\_%");
    assertThat(paddingLengths).hasSize(reports).containsOnly(padding);
    // Stored again (a redelivered batch): nothing new, every report recognised as a duplicate.
    assertThat(store.store(batch).duplicates()).isEqualTo(reports);
  }

  @Test
  void aSuccessAndAFailureOfTheSameSecondInOneBatchEndOnTheOneThatArrivedLastInEitherOrder() {
    Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
    for (String[] order : new String[][] {{"success", "failed"}, {"failed", "success"}}) {
      String key = "tie_" + UUID.randomUUID().toString().substring(0, 8);
      // Same finished second and the same received_at: only the offset (list) order is left. The
      // report ids sort the other way, so a tie-break by report id would pick the first.
      RunReported first = sameSecond(lowReportId(), key, order[0], received);
      RunReported second = sameSecond(highReportId(), key, order[1], received);

      store.store(List.of(first, second));

      assertThat(
              jdbc.queryForMap(
                  "SELECT last_status, last_report_id FROM task_monitors WHERE task_key = ?", key))
          .containsEntry("last_status", order[1])
          .containsEntry("last_report_id", second.reportId());
    }
  }

  @Test
  void aReportOfTheSameSecondReceivedLaterWinsOverOneEarlierInTheBatch() {
    String key = "tie_received_" + UUID.randomUUID().toString().substring(0, 8);
    Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
    RunReported laterArrival = sameSecond(key, "success", received.plusMillis(3));
    RunReported earlierArrival = sameSecond(key, "failed", received);

    store.store(List.of(laterArrival, earlierArrival));

    assertThat(jdbc.queryForMap("SELECT last_status FROM task_monitors WHERE task_key = ?", key))
        .containsEntry("last_status", "success");
  }

  @Test
  void aRetryOfAStoredRunBesideADifferentRunUnderItsKeyStoresOnlyTheDifferentOne() {
    String key = "reused_key_" + UUID.randomUUID().toString().substring(0, 8);
    UUID reportId = UUID.randomUUID();
    Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
    RunReported stored = sameSecond(reportId, key, "success", received);
    store.store(List.of(stored));

    // The next batch: a different run that reused the key, then a retry of the stored run. The
    // retry must be judged against what is stored, not against the other report of its batch.
    RunReported different = sameSecond(reportId, key, "failed", received.plusMillis(1));
    RunReported retry = sameSecond(reportId, key, "success", received);
    RunBatchStore.Stored second = store.store(List.of(different, retry));

    assertThat(second.runs()).isEqualTo(1);
    assertThat(second.storedUnderDerivedId()).isEqualTo(1);
    assertThat(
            jdbc.queryForList(
                "SELECT r.status FROM task_monitor_runs r JOIN task_monitors m"
                    + " ON m.id = r.monitor_id WHERE m.task_key = ? ORDER BY r.status",
                String.class,
                key))
        .containsExactly("failed", "success");
  }

  private static UUID lowReportId() {
    return new UUID(0x0000_0000_0000_4000L, UUID.randomUUID().getLeastSignificantBits());
  }

  private static UUID highReportId() {
    return new UUID(0x7fff_ffff_ffff_4fffL, UUID.randomUUID().getLeastSignificantBits());
  }

  private static RunReported sameSecond(String key, String status, Instant receivedAt) {
    return sameSecond(UUID.randomUUID(), key, status, receivedAt);
  }

  private static RunReported sameSecond(
      UUID reportId, String key, String status, Instant receivedAt) {
    String body =
        """
        {"task_key": "%s", "task_name": "t", "kind": "python", "status": "%s",
         "finished_at": "2026-01-22T09:00:00Z"}
        """
            .formatted(key, status);
    ReportParser.ParsedReport parsed = ReportParser.parse(body.getBytes(StandardCharsets.UTF_8));
    return RunReported.of(reportId, receivedAt, parsed.report(), parsed.body());
  }
}
