package jp.tcportal.incidents.monitor;

import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.schedule.MonitorSchedule;
import jp.tcportal.schema.schedule.MonitorScheduleJson;
import tools.jackson.databind.JsonNode;

/**
 * A monitor as the JSON API shows it (snake_case field names, like the report API), with its
 * schedule settings in the shape {@code PATCH} accepts.
 */
public record MonitorView(
    UUID id,
    String taskKey,
    String taskName,
    String kind,
    String machineName,
    boolean enabled,
    boolean failing,
    String lastStatus,
    Instant lastStartedAt,
    Instant lastFinishedAt,
    Integer lastDurationMs,
    Integer lastExitCode,
    String lastMessage,
    String lastLogUrl,
    int failureStreak,
    Instant createdAt,
    Instant updatedAt,
    JsonNode schedule,
    long graceSeconds,
    Long maxRuntimeSeconds,
    int failureThreshold,
    int recoveryThreshold) {

  public static MonitorView of(TaskMonitor monitor) {
    MonitorSchedule settings = monitor.getSettings();
    // The settings' one JSON shape, the same that PATCH reads.
    JsonNode schedule = MonitorScheduleJson.toJson(settings).get("schedule");
    return new MonitorView(
        monitor.getId(),
        monitor.getTaskKey(),
        monitor.getTaskName(),
        monitor.getKind(),
        monitor.getMachineName(),
        monitor.isEnabled(),
        monitor.isFailing(),
        monitor.getLastStatus(),
        monitor.getLastStartedAt(),
        monitor.getLastFinishedAt(),
        monitor.getLastDurationMs(),
        monitor.getLastExitCode(),
        monitor.getLastMessage(),
        monitor.getLastLogUrl(),
        monitor.getFailureStreak(),
        monitor.getCreatedAt(),
        monitor.getUpdatedAt(),
        schedule,
        settings.graceSeconds(),
        settings.maxRuntimeSeconds(),
        settings.failureThreshold(),
        settings.recoveryThreshold());
  }
}
