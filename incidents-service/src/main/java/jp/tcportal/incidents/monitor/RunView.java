package jp.tcportal.incidents.monitor;

import java.time.Instant;
import java.util.UUID;

/** A run as the JSON API shows it. */
record RunView(
    UUID id,
    String status,
    Instant startedAt,
    Instant finishedAt,
    Integer durationMs,
    Integer exitCode,
    String message,
    String logUrl,
    UUID reportId,
    Instant createdAt) {

  static RunView of(TaskMonitorRun run) {
    return new RunView(
        run.getId(),
        run.getStatus(),
        run.getStartedAt(),
        run.getFinishedAt(),
        run.getDurationMs(),
        run.getExitCode(),
        run.getMessage(),
        run.getLogUrl(),
        run.getReportId(),
        run.getCreatedAt());
  }
}
