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
 * @param lastOccurredAt the ordering instant of the report behind {@code lastStatus} (see {@link
 *     MonitorStateRules#orderingInstant}); {@code null} counts as older than any report
 * @param lastReceivedAt when the gateway received that report ({@code updated_at} for rows written
 *     before the column existed); bounds a stored future instant and breaks ties
 */
public record MonitorState(
    UUID id,
    String taskName,
    RunStatus lastStatus,
    Instant lastOccurredAt,
    Instant lastReceivedAt,
    int failureStreak) {}
