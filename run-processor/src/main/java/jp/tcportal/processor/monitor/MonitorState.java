package jp.tcportal.processor.monitor;

import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.report.RunStatus;

/**
 * The part of a monitor row that decides how the next report moves it.
 *
 * @param id the row's id (not necessarily the event's monitor_id: a database created by the spec's
 *     own migration has random ids)
 * @param lastStatus {@code null} before the first report
 * @param lastOccurredAt when the run behind {@code lastStatus} happened; {@code null} counts as
 *     older than any report
 */
public record MonitorState(
    UUID id, String taskName, RunStatus lastStatus, Instant lastOccurredAt, int failureStreak) {}
