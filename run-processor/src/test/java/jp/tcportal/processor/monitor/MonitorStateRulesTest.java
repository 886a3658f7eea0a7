package jp.tcportal.processor.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
  private static final Instant RECEIVED = Instant.parse("2026-01-23T00:00:00Z");
  private static final MonitorState NEW_MONITOR =
      new MonitorState(ROW_ID, "t", null, null, null, 0);

  @Test
  void firstReportMovesTheStateAndAnnouncesIt() {
    RunReported report = report(RunStatus.SUCCESS, "2026-01-22T09:00:00Z", "名前");

    MonitorStateRules.Outcome outcome = MonitorStateRules.apply(NEW_MONITOR, List.of(report));

    assertThat(outcome.latest()).contains(report);
    assertThat(outcome.state())
        .isEqualTo(
            new MonitorState(
                ROW_ID,
                "名前",
                RunStatus.SUCCESS,
                Instant.parse("2026-01-22T09:00:00Z"),
                RECEIVED,
                0));
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
  void olderOrSimultaneousButEarlierArrivedReportKeepsTheNewerState() {
    MonitorState current =
        new MonitorState(
            ROW_ID,
            "t",
            RunStatus.FAILED,
            Instant.parse("2026-01-22T10:00:00Z"),
            RECEIVED.plusSeconds(1),
            2);

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
        new MonitorState(
            ROW_ID, "t", RunStatus.SUCCESS, Instant.parse("2026-01-22T09:00:00Z"), RECEIVED, 0);

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
    MonitorState legacy = new MonitorState(ROW_ID, "t", RunStatus.FAILED, null, null, 0);

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

  @Test
  void aReportDatedFarAheadOfItsArrivalOrdersByItsArrivalSoALaterFailureWins() {
    RunReported future =
        report(
            RunStatus.SUCCESS, "2099-01-01T00:00:00Z", "t", Instant.parse("2026-01-22T09:00:00Z"));
    RunReported failure =
        report(
            RunStatus.FAILED, "2026-01-22T10:00:00Z", "t", Instant.parse("2026-01-22T10:00:01Z"));

    MonitorStateRules.Outcome first = MonitorStateRules.apply(NEW_MONITOR, List.of(future));
    assertThat(first.state().lastOccurredAt()).isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    MonitorStateRules.Outcome second = MonitorStateRules.apply(first.state(), List.of(failure));

    assertThat(second.latest()).contains(failure);
    assertThat(second.state().lastStatus()).isEqualTo(RunStatus.FAILED);
    // In one batch too.
    assertThat(MonitorStateRules.apply(NEW_MONITOR, List.of(failure, future)).latest())
        .contains(failure);
  }

  @Test
  void aStoredFutureInstantIsBoundedByItsArrivalSoTheMonitorRecovers() {
    // Written before the rule: last_occurred_at holds the client's 2099.
    MonitorState frozen =
        new MonitorState(
            ROW_ID,
            "t",
            RunStatus.SUCCESS,
            Instant.parse("2099-01-01T00:00:00Z"),
            Instant.parse("2026-01-22T09:00:00Z"),
            0);

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            frozen, List.of(report(RunStatus.FAILED, "2026-01-22T10:00:00Z", "t")));

    assertThat(outcome.state().lastStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.state().failureStreak()).isEqualTo(1);
  }

  @Test
  void aClockAheadWithinTheToleranceStillOrdersByTheClientsInstant() {
    Instant received = Instant.parse("2026-01-22T10:00:00Z");
    RunReported ahead = report(RunStatus.SUCCESS, "2026-01-22T10:01:00Z", "t", received);
    RunReported lateButOlder =
        report(RunStatus.FAILED, "2026-01-22T10:00:30Z", "t", received.plusSeconds(5));

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(NEW_MONITOR, List.of(ahead, lateButOlder));

    assertThat(outcome.latest()).contains(ahead);
    assertThat(outcome.state().lastOccurredAt()).isEqualTo(Instant.parse("2026-01-22T10:01:00Z"));
    assertThat(MonitorStateRules.orderingInstant(ahead, Duration.ofSeconds(30)))
        .isEqualTo(received);
  }

  @Test
  void equalInstantsInOneBatchAreDecidedByArrivalInEitherOrder() {
    RunReported success = report(RunStatus.SUCCESS, "2026-01-22T10:00:00Z", "t");
    RunReported failure = report(RunStatus.FAILED, "2026-01-22T10:00:00Z", "t");

    // Same received_at: the list (offset) order decides.
    assertThat(MonitorStateRules.apply(NEW_MONITOR, List.of(success, failure)).latest())
        .contains(failure);
    assertThat(MonitorStateRules.apply(NEW_MONITOR, List.of(failure, success)).latest())
        .contains(success);
    // Different received_at: the later arrival wins, whatever the list order.
    RunReported laterSuccess =
        report(RunStatus.SUCCESS, "2026-01-22T10:00:00Z", "t", RECEIVED.plusMillis(1));
    assertThat(MonitorStateRules.apply(NEW_MONITOR, List.of(laterSuccess, failure)).latest())
        .contains(laterSuccess);
  }

  @Test
  void anEqualInstantThatArrivedLaterMovesTheStoredState() {
    MonitorState stored =
        new MonitorState(
            ROW_ID,
            "t",
            RunStatus.SUCCESS,
            Instant.parse("2026-01-22T10:00:00Z"),
            RECEIVED.minusMillis(1),
            0);

    MonitorStateRules.Outcome outcome =
        MonitorStateRules.apply(
            stored, List.of(report(RunStatus.FAILED, "2026-01-22T10:00:00Z", "t")));

    assertThat(outcome.state().lastStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.changes()).singleElement();
  }

  private static RunReported report(RunStatus status, String finishedAt, String taskName) {
    return report(status, finishedAt, taskName, RECEIVED);
  }

  private static RunReported report(
      RunStatus status, String finishedAt, String taskName, Instant receivedAt) {
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
    return RunReported.of(UUID.randomUUID(), receivedAt, report, null);
  }
}
