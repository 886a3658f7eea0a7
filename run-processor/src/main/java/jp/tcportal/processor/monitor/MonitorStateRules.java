package jp.tcportal.processor.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.RunStatus;

/**
 * How new reports move a monitor's latest state.
 *
 * <p>A report moves the state only when its run happened strictly after the stored one ({@link
 * RunReported#occurredAt()}), so a late or replayed report is kept in the history but never
 * overwrites a newer state. Each applied report that changes the status, or that grows the failure
 * streak, yields a {@link MonitorStatusChanged}.
 */
public final class MonitorStateRules {

  /** Oldest first; ties broken by arrival then report id, so every replica folds alike. */
  private static final Comparator<RunReported> BY_OCCURRENCE =
      Comparator.comparing(RunReported::occurredAt)
          .thenComparing(RunReported::receivedAt)
          .thenComparing(RunReported::reportId);

  private MonitorStateRules() {}

  /**
   * Folds reports that were stored for the first time (never a duplicate) into {@code current}.
   *
   * @param reports the monitor's newly stored reports, in any order
   */
  public static Outcome apply(MonitorState current, List<RunReported> reports) {
    List<RunReported> ordered = new ArrayList<>(reports);
    ordered.sort(BY_OCCURRENCE);
    MonitorState state = current;
    RunReported latest = null;
    List<MonitorStatusChanged> changes = new ArrayList<>();
    for (RunReported report : ordered) {
      if (state.lastOccurredAt() != null && !report.occurredAt().isAfter(state.lastOccurredAt())) {
        continue;
      }
      int streak = nextStreak(state, report.status());
      if (report.status() != state.lastStatus() || streak > state.failureStreak()) {
        changes.add(statusChanged(state, report, streak));
      }
      state =
          new MonitorState(
              state.id(), report.taskName(), report.status(), report.occurredAt(), streak);
      latest = report;
    }
    return new Outcome(state, Optional.ofNullable(latest), changes);
  }

  private static int nextStreak(MonitorState state, RunStatus status) {
    if (status == RunStatus.SUCCESS) {
      return 0;
    }
    return state.lastStatus() == RunStatus.FAILED ? state.failureStreak() + 1 : 1;
  }

  private static MonitorStatusChanged statusChanged(
      MonitorState before, RunReported report, int streak) {
    return new MonitorStatusChanged(
        MonitorStatusChanged.SCHEMA_VERSION,
        UUID.randomUUID(),
        before.id(),
        report.taskKey(),
        report.taskName(),
        report.kind(),
        report.machineName(),
        before.lastStatus(),
        report.status(),
        streak,
        report.reportId(),
        report.occurredAt(),
        report.exitCode(),
        report.message());
  }

  /**
   * @param state the monitor after the reports
   * @param latest the report whose values now fill the {@code last_*} columns, if any moved them
   * @param changes status events, oldest first
   */
  public record Outcome(
      MonitorState state, Optional<RunReported> latest, List<MonitorStatusChanged> changes) {

    public boolean moved() {
      return latest.isPresent();
    }
  }
}
