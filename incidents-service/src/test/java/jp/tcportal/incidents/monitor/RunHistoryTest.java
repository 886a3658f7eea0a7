package jp.tcportal.incidents.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.MonitorRows;
import jp.tcportal.incidents.TestDatabases;
import jp.tcportal.incidents.paging.KeysetPage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A monitor's run history: newest first, keyset pages, on the real schema. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RunHistoryTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "run_history");
  }

  @Autowired RunHistory history;
  @Autowired MonitorRepository monitors;
  @Autowired JdbcTemplate jdbc;

  final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @Test
  void pagesNewestFirstAndBreaksTiesOfOneBatchById() {
    MonitorRows rows = new MonitorRows(jdbc);
    UUID monitor = rows.monitor("hist", "履歴", "bat", "PC-01", "failed", now, 1, "x");
    UUID other = rows.monitor("other", "別", "bat", "PC-01", "failed", now, 1, "x");
    List<UUID> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(rows.run(monitor, "success", now.minusSeconds(100 + i), "run " + i));
    }
    // Three runs stored by one batch share created_at.
    for (int i = 0; i < 3; i++) {
      runs.add(rows.run(monitor, "failed", now.minusSeconds(50), "batch " + i));
    }
    rows.run(other, "failed", now, "not mine");

    List<UUID> seen = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    String cursor = null;
    do {
      KeysetPage<TaskMonitorRun> page = history.page(monitor, cursor, 3);
      page.items().forEach(run -> seen.add(run.getId()));
      page.items().forEach(run -> times.add(run.getCreatedAt()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).hasSize(8).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(runs);
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void historyPageUsesTheKeysetIndex() {
    MonitorRows rows = new MonitorRows(jdbc);
    UUID monitor = rows.monitor("idx", "索引", "bat", "PC-01", "failed", now, 1, "x");
    for (int i = 0; i < 100; i++) {
      rows.run(monitor, "success", now.minusSeconds(i), "r");
    }
    jdbc.execute("VACUUM ANALYZE task_monitor_runs");

    String plan =
        jdbc.execute(
            (java.sql.Connection connection) -> {
              try (var statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
                StringBuilder text = new StringBuilder();
                try (var result =
                    statement.executeQuery(
                        "EXPLAIN SELECT r.* FROM task_monitor_runs r WHERE r.monitor_id = '"
                            + monitor
                            + "' AND (r.created_at, r.id) < (now(), '"
                            + UUID.randomUUID()
                            + "') ORDER BY r.created_at DESC, r.id DESC LIMIT 51")) {
                  while (result.next()) {
                    text.append(result.getString(1)).append('\n');
                  }
                }
                return text.toString();
              }
            });

    assertThat(plan).contains("idx_task_monitor_runs_history").doesNotContain("Sort");
  }

  @Test
  void disablingTouchesOnlyEnabledAndOnlyWhenItChanges() {
    MonitorRows rows = new MonitorRows(jdbc);
    UUID monitor = rows.monitor("toggle", "切替", "bat", "PC-01", "failed", now, 1, "x");
    Instant before =
        jdbc.queryForObject(
                "SELECT updated_at FROM task_monitors WHERE id = ?",
                java.sql.Timestamp.class,
                monitor)
            .toInstant();

    assertThat(monitors.updateEnabled(monitor, true)).isZero();
    assertThat(monitors.updateEnabled(monitor, false)).isEqualTo(1);

    assertThat(rows.enabled(monitor)).isFalse();
    assertThat(monitors.findById(monitor).orElseThrow().getLastStatus()).isEqualTo("failed");
    assertThat(monitors.lastUpdatedAt()).get().matches(after -> after.isAfter(before));
  }
}
