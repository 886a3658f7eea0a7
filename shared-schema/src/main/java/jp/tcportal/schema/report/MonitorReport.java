package jp.tcportal.schema.report;

import java.time.Instant;

/**
 * A validated report of one run, as the spec's request body describes it (section 3.3).
 *
 * <p>Optional fields are {@code null} when absent. {@code machineName} is {@code null} for an
 * absent or empty machine name, so both name the same monitor as the spec's unique index does.
 * {@code assumedTimeZone} is the zone id in which an instant without an offset was read, and {@code
 * null} when the client sent offsets (or no instants).
 */
public record MonitorReport(
    String taskKey,
    String taskName,
    Kind kind,
    RunStatus status,
    Instant startedAt,
    Instant finishedAt,
    Integer durationMs,
    Integer exitCode,
    String message,
    String logUrl,
    String machineName,
    String assumedTimeZone) {

  /** A report whose instants all carried an offset. */
  public MonitorReport(
      String taskKey,
      String taskName,
      Kind kind,
      RunStatus status,
      Instant startedAt,
      Instant finishedAt,
      Integer durationMs,
      Integer exitCode,
      String message,
      String logUrl,
      String machineName) {
    this(
        taskKey,
        taskName,
        kind,
        status,
        startedAt,
        finishedAt,
        durationMs,
        exitCode,
        message,
        logUrl,
        machineName,
        null);
  }
}
