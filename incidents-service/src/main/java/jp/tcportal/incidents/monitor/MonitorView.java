package jp.tcportal.incidents.monitor;

import java.time.Instant;
import java.util.UUID;

/** A monitor as the JSON API shows it (snake_case field names, like the report API). */
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
    Instant updatedAt) {

  public static MonitorView of(TaskMonitor monitor) {
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
        monitor.getUpdatedAt());
  }
}
