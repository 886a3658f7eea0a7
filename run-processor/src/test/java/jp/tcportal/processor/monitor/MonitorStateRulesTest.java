package jp.tcportal.processor.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.RunStatus;
import org.junit.jupiter.api.Test;

class MonitorStateRulesTest {

  private static final UUID ROW_ID = UUID.randomUUID();
  private static final MonitorState NEW_MONITOR = new MonitorState(ROW_ID, "t", null, null, 0);

  @Test
  void firstReportMovesTheStateAndAnnouncesIt() {
    RunReported report = report(RunStatus.SUCCESS, "2026-01-22T09:00:00Z", "名前");

    MonitorStateRules.Outcome outcome = MonitorStateRules.apply(NEW_MONITOR, List.of(report));

    assertThat(outcome.latest()).contains(report);
    assertThat(outcome.state())
        .isEqualTo(
            new MonitorState(
                ROW_ID, "名前", RunStatus.SUCCESS, Instant.parse("2026-01-22T09:00:00Z"), 0));
    assertThat(outcome.changes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.monitorId()).isEqualTo(ROW_ID);
              assertThat(change.previousStatus()).isNull();
              assertThat(change.status()).isEqualTo(RunStatus.SUCCESS);
              assertThat(change.reportId()).isEqualTo(report.reportId());
            });
  }

  @Test
  void olderOrSimultaneousReportKeepsTheNewerState() {
    MonitorState current =
        new MonitorState(ROW_ID, "t", RunStatus.FAILED, Instant.parse("2026-01-22T10:00:00Z"), 2);

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            current,
            List.of(
                report(RunStatus.SUCCESS, "2026-01-22T09:00:00Z", "old"),
                report(RunStatus.SUCCESS, "2026-01-22T10:00:00Z", "same instant")));

    assertThat(outcome.moved()).isFalse();
    assertThat(outcome.state()).isEqualTo(current);
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void failureStreakGrowsWithEachNewerFailureAndResetsOnSuccess() {
    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            NEW_MONITOR,
            List.of(
                report(RunStatus.SUCCESS, "2026-01-22T05:00:00Z", "t"),
                report(RunStatus.FAILED, "2026-01-22T03:00:00Z", "t"),
                report(RunStatus.FAILED, "2026-01-22T01:00:00Z", "t"),
                report(RunStatus.FAILED, "2026-01-22T02:00:00Z", "t")));

    assertThat(outcome.changes())
        .extracting(MonitorStatusChanged::status, MonitorStatusChanged::failureStreak)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, 1),
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, 2),
            org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, 3),
            org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCESS, 0));
    assertThat(outcome.state().failureStreak()).isZero();
    assertThat(outcome.state().lastStatus()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void repeatedSuccessAnnouncesNothing() {
    MonitorState current =
        new MonitorState(ROW_ID, "t", RunStatus.SUCCESS, Instant.parse("2026-01-22T09:00:00Z"), 0);

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            current, List.of(report(RunStatus.SUCCESS, "2026-01-22T10:00:00Z", "renamed")));

    assertThat(outcome.moved()).isTrue();
    assertThat(outcome.state().taskName()).isEqualTo("renamed");
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void storedStateWithoutAnInstantIsOlderThanAnyReport() {
    // A row written by the spec's own migration has a status but no last_occurred_at.
    MonitorState legacy = new MonitorState(ROW_ID, "t", RunStatus.FAILED, null, 0);

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            legacy, List.of(report(RunStatus.FAILED, "2020-01-01T00:00:00Z", "t")));

    assertThat(outcome.moved()).isTrue();
    assertThat(outcome.state().failureStreak()).isEqualTo(1);
    assertThat(outcome.changes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.previousStatus()).isEqualTo(RunStatus.FAILED);
              assertThat(change.failureStreak()).isEqualTo(1);
            });
  }

  private static RunReported report(RunStatus status, String finishedAt, String taskName) {
    MonitorReport report =
        new MonitorReport(
            "job",
            taskName,
            Kind.BAT,
            status,
            null,
            Instant.parse(finishedAt),
            null,
            1,
            "m",
            null,
            null);
    return RunReported.of(UUID.randomUUID(), Instant.parse("2026-01-23T00:00:00Z"), report, null);
  }
}
