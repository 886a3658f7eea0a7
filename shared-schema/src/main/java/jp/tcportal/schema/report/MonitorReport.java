package jp.tcportal.schema.report;

import java.time.Instant;

/**
 * A validated report of one run, as the spec's request body describes it (section 3.3).
 *
 * <p>Optional fields are {@code null} when absent. {@code machineName} is {@code null} for an
 * absent or empty machine name, so both name the same monitor as the spec's unique index does.
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
    String machineName) {}
