package jp.tcportal.processor.monitor;

import java.time.Duration;
import java.time.Instant;
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
 * <p>A report moves the state only when it is newer than the stored one: its {@linkplain
 * #orderingInstant ordering instant} is later, or equal and it arrived later. So a late or replayed
 * report is kept in the history but never overwrites a newer state; a client clock far ahead (a
 * report dated 2099) cannot hide the failures reported after it, because an instant later than the
 * report's arrival orders by the arrival; and two runs of the same second (clients send whole
 * seconds) keep the transition, because the later arrival wins the tie. Each applied report that
 * changes the status, or that grows the failure streak, yields a {@link MonitorStatusChanged}.
 */
public final class MonitorStateRules {

  /**
   * How far a client's instant may lie ahead of the gateway's {@code received_at} and still decide
   * the order. A run cannot finish after its report arrived, so anything later is a wrong clock;
   * two minutes absorbs the small drift of a synchronised Windows clock, and is the offset beyond
   * which the monitor page warns about the clock.
   */
  public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(2);

  private MonitorStateRules() {}

  /**
   * The instant that decides which report is newer: the client's {@link RunReported#occurredAt()},
   * unless it lies more than {@code tolerance} after {@code receivedAt}, in which case the arrival
   * decides. The stored {@code started_at}/{@code finished_at} keep what the client said.
   */
  public static Instant orderingInstant(Instant claimed, Instant receivedAt, Duration tolerance) {
    if (claimed == null) {
      return receivedAt;
    }
    if (receivedAt == null || !claimed.isAfter(receivedAt.plus(tolerance))) {
      return claimed;
    }
    return receivedAt;
  }

  /** {@link #orderingInstant(Instant, Instant, Duration)} of one report. */
  public static Instant orderingInstant(RunReported report, Duration tolerance) {
    return orderingInstant(report.occurredAt(), report.receivedAt(), tolerance);
  }

  /** {@link #apply(MonitorState, List, Duration)} with the default tolerance. */
  public static Outcome apply(MonitorState current, List<RunReported> reports) {
    return apply(current, reports, DEFAULT_FUTURE_TOLERANCE);
  }

  /**
   * Folds reports that were stored for the first time (never a duplicate) into {@code current}.
   *
   * @param reports the monitor's newly stored reports in arrival order (one monitor's reports share
   *     a partition, so this is offset order): the last tie-break of two reports with the same
   *     instant and the same {@code received_at}
   * @param futureTolerance see {@link #orderingInstant(Instant, Instant, Duration)}
   */
  public static Outcome apply(
      MonitorState current, List<RunReported> reports, Duration futureTolerance) {
    // Oldest first, then earliest arrival; List.sort is stable, so arrival order settles the rest.
    List<RunReported> ordered = new ArrayList<>(reports);
    ordered.sort(
        Comparator.comparing((RunReported r) -> orderingInstant(r, futureTolerance))
            .thenComparing(RunReported::receivedAt));
    MonitorState state = current;
    RunReported latest = null;
    List<MonitorStatusChanged> changes = new ArrayList<>();
    for (RunReported report : ordered) {
      Instant ordering = orderingInstant(report, futureTolerance);
      if (!isNewer(ordering, report.receivedAt(), state, futureTolerance)) {
        continue;
      }
      int streak = nextStreak(state, report.status());
      if (report.status() != state.lastStatus() || streak > state.failureStreak()) {
        changes.add(statusChanged(state, report, streak));
      }
      state =
          new MonitorState(
              state.id(),
              report.taskName(),
              report.status(),
              ordering,
              report.receivedAt(),
              streak);
      latest = report;
    }
    return new Outcome(state, Optional.ofNullable(latest), changes);
  }

  /**
   * Whether a report moves the state. The stored instant is bounded by its own arrival too, so a
   * monitor that already holds a future instant (stored before this rule) recovers on its next
   * report. On a tie the report that arrived later wins: it was folded after the stored one.
   */
  private static boolean isNewer(
      Instant ordering, Instant receivedAt, MonitorState state, Duration tolerance) {
    if (state.lastOccurredAt() == null) {
      return true;
    }
    Instant stored = orderingInstant(state.lastOccurredAt(), state.lastReceivedAt(), tolerance);
    int byInstant = ordering.compareTo(stored);
    if (byInstant != 0) {
      return byInstant > 0;
    }
    return state.lastReceivedAt() == null
        || receivedAt == null
        || !receivedAt.isBefore(state.lastReceivedAt());
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
