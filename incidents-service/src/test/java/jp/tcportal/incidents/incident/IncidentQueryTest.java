package jp.tcportal.incidents.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.MonitorRows;
import jp.tcportal.incidents.TestDatabases;
import jp.tcportal.incidents.badge.BadgeCounter;
import jp.tcportal.incidents.monitor.TaskMonitor;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.web.InvalidRequestException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The incidents list and badge queries against a real PostgreSQL with the real schema. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class IncidentQueryTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "incident_query");
  }

  @Autowired IncidentQuery query;
  @Autowired BadgeCounter badge;
  @Autowired JdbcTemplate jdbc;

  MonitorRows rows;
  final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @BeforeEach
  void emptyTables() {
    jdbc.update("DELETE FROM task_monitors");
    rows = new MonitorRows(jdbc);
  }

  @Test
  void listsFailingMonitorsFirstThenTheMostRecent() {
    UUID recentSuccess = ok("recent_ok", now.minusSeconds(10));
    UUID oldFailure = failed("old_fail", now.minusSeconds(86_400));
    UUID newFailure = failed("new_fail", now.minusSeconds(600));
    UUID neverReported = rows.unreported("never", "未報告", "bat", "PC-9");
    UUID olderSuccess = ok("older_ok", now.minusSeconds(3_600));

    assertThat(ids(query.page(IncidentFilter.none(), null, 50)))
        .containsExactly(newFailure, oldFailure, recentSuccess, olderSuccess, neverReported);
  }

  @Test
  void disabledFailingMonitorIsNeitherCountedNorListedFirst() {
    UUID disabledFailure = failed("muted", now.minusSeconds(60));
    UUID success = ok("fine", now.minusSeconds(120));
    UUID failure = failed("broken", now.minusSeconds(7_200));
    jdbc.update("UPDATE task_monitors SET enabled = false WHERE id = ?", disabledFailure);

    assertThat(badge.count()).isEqualTo(1);
    assertThat(ids(query.page(IncidentFilter.none(), null, 50)))
        .containsExactly(failure, disabledFailure, success);
  }

  @Test
  void badgeCountsOnlyFailedAndEnabledMonitors() {
    failed("a", now);
    failed("b", now);
    ok("c", now);
    rows.unreported("d", "d", "bat", null);

    assertThat(badge.count()).isEqualTo(2);
  }

  @Test
  void filtersByStatusKindAndMachine() {
    UUID batOnPc1 = rows.monitor("job", "ジョブ", "bat", "PC-01", "failed", now, 1, "x");
    UUID batOnPc2 = rows.monitor("job", "ジョブ", "bat", "PC-02", "success", now, 0, "x");
    UUID pythonOnPc1 = rows.monitor("py", "パイ", "python", "PC-01", "failed", now, 1, "x");

    assertThat(ids(query.page(new IncidentFilter("failed", null, null, null), null, 50)))
        .containsExactlyInAnyOrder(batOnPc1, pythonOnPc1);
    assertThat(ids(query.page(new IncidentFilter(null, "bat", null, null), null, 50)))
        .containsExactlyInAnyOrder(batOnPc1, batOnPc2);
    assertThat(ids(query.page(new IncidentFilter(null, null, "pc-0", null), null, 50)))
        .containsExactlyInAnyOrder(batOnPc1, batOnPc2, pythonOnPc1);
    assertThat(ids(query.page(new IncidentFilter(null, "bat", "PC-02", null), null, 50)))
        .containsExactly(batOnPc2);
  }

  @Test
  void searchesTaskKeyAndJapaneseNameLiterally() {
    UUID nightly = rows.monitor("nightly_import", "ナイトリー取込", "bat", "PC-01", "failed", now, 1, "");
    UUID percent = rows.monitor("load100pct", "100%ロード", "python", null, "success", now, 0, "");
    rows.monitor("nightlyximport", "別タスク", "bat", null, "success", now, 0, "");

    assertThat(ids(query.page(new IncidentFilter(null, null, null, "取込"), null, 50)))
        .containsExactly(nightly);
    assertThat(ids(query.page(new IncidentFilter(null, null, null, "NIGHTLY_"), null, 50)))
        .containsExactly(nightly);
    assertThat(ids(query.page(new IncidentFilter(null, null, null, "100%"), null, 50)))
        .containsExactly(percent);
  }

  @Test
  void pagesThroughEveryMonitorOnceWithoutOffset() {
    List<UUID> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      expected.add(failed("f" + i, now.minusSeconds(i)));
    }
    // Equal times and missing times: the id and the NULL handling must still give a total order.
    for (int i = 0; i < 6; i++) {
      expected.add(ok("same" + i, now.minusSeconds(1_000)));
    }
    for (int i = 0; i < 4; i++) {
      expected.add(rows.unreported("never" + i, "n", "bat", null));
    }

    List<UUID> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      KeysetPage<TaskMonitor> page = query.page(IncidentFilter.none(), cursor, 3);
      seen.addAll(ids(page));
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);

    assertThat(seen).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(seen.subList(0, 7)).containsExactlyElementsOf(expected.subList(0, 7));
    assertThat(pages).isEqualTo(6);
  }

  @Test
  void rejectsACursorItDidNotMake() {
    assertThatThrownBy(() -> query.page(IncidentFilter.none(), "not-a-cursor!", 10))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("before is not a valid cursor");
    assertThatThrownBy(() -> new IncidentFilter("broken", null, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("status must be one of failed, success");
  }

  @Test
  void badgeIsAnIndexOnlyScanOfThePartialIndex() {
    for (int i = 0; i < 50; i++) {
      failed("f" + i, now);
      ok("o" + i, now);
    }
    jdbc.execute("VACUUM ANALYZE task_monitors");

    // On a table of three pages (wider since the settings columns of changeset 007) the planner
    // weighs a bitmap scan of the same index as cheaper; what matters is that the query matches the
    // partial index and is answered from it alone, so bitmap scans are off like sequential ones.
    String plan =
        explain(
            "SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled",
            "SET enable_bitmapscan = off");

    assertThat(plan).contains("Index Only Scan using idx_task_monitors_failing");
  }

  @Test
  void firstIncidentPageIsReadInIndexOrderWithoutSorting() {
    for (int i = 0; i < 50; i++) {
      failed("f" + i, now.minusSeconds(i));
      ok("o" + i, now.minusSeconds(i));
    }
    jdbc.execute("VACUUM ANALYZE task_monitors");

    String plan =
        explain(
            "SELECT m.* FROM task_monitors m ORDER BY "
                + IncidentQuery.FAILING
                + " DESC, "
                + IncidentQuery.RECENCY
                + " DESC, m.id DESC LIMIT 51");

    assertThat(plan).contains("idx_task_monitors_incident_order").doesNotContain("Sort");
  }

  private String explain(String sql) {
    return explain(sql, "SET enable_seqscan = off");
  }

  private String explain(String sql, String extraSetting) {
    return jdbc.execute(
        (java.sql.Connection connection) -> {
          try (var statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            statement.execute(extraSetting);
            StringBuilder plan = new StringBuilder();
            try (var result = statement.executeQuery("EXPLAIN " + sql)) {
              while (result.next()) {
                plan.append(result.getString(1)).append('\n');
              }
            }
            statement.execute("RESET enable_seqscan");
            statement.execute("RESET enable_bitmapscan");
            return plan.toString();
          }
        });
  }

  private UUID failed(String key, Instant finishedAt) {
    return rows.monitor(key, key + "のタスク", "bat", "PC-01", "failed", finishedAt, 1, "エラー");
  }

  private UUID ok(String key, Instant finishedAt) {
    return rows.monitor(key, key + "のタスク", "python", "PC-02", "success", finishedAt, 0, "完了");
  }

  private static List<UUID> ids(KeysetPage<TaskMonitor> page) {
    return page.items().stream().map(TaskMonitor::getId).toList();
  }
}
