package jp.tcportal.schema.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.RunStatus;

/**
 * A monitor's status changed, or its failure streak grew; notifiers and escalation subscribe to it.
 *
 * <p>{@code previousStatus} is {@code null} for a monitor's first report. {@code failureStreak}
 * counts consecutive failed runs, 0 after a success.
 */
public record MonitorStatusChanged(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("event_id") UUID eventId,
    @JsonProperty("monitor_id") UUID monitorId,
    @JsonProperty("task_key") String taskKey,
    @JsonProperty("task_name") String taskName,
    @JsonProperty("kind") Kind kind,
    @JsonProperty("machine_name") String machineName,
    @JsonProperty("previous_status") RunStatus previousStatus,
    @JsonProperty("status") RunStatus status,
    @JsonProperty("failure_streak") int failureStreak,
    @JsonProperty("report_id") UUID reportId,
    @JsonProperty("occurred_at") Instant occurredAt,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("message") String message) {

  public static final int SCHEMA_VERSION = 1;
}
