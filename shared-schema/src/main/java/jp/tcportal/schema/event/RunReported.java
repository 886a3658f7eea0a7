package jp.tcportal.schema.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.ReportDigest;
import jp.tcportal.schema.report.RunStatus;
import tools.jackson.databind.JsonNode;

/**
 * A Windows job reported one run; the gateway publishes this once Kafka has it durably.
 *
 * <p>It carries every field of the spec's request, the identity of the report and of its monitor,
 * and the original body as {@code raw}, which the processor stores in {@code
 * task_monitor_runs.raw}.
 *
 * <p>Optional, added without a new schema version: {@code body_digest} ({@link ReportDigest} of the
 * validated fields, so a consumer tells a retry of one run from a different run under one
 * Idempotency-Key) and {@code assumed_time_zone} (the zone in which the gateway read an instant
 * sent without an offset; {@code started_at} and {@code finished_at} are already instants).
 */
public record RunReported(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("report_id") UUID reportId,
    @JsonProperty("monitor_id") UUID monitorId,
    @JsonProperty("received_at") Instant receivedAt,
    @JsonProperty("task_key") String taskKey,
    @JsonProperty("task_name") String taskName,
    @JsonProperty("kind") Kind kind,
    @JsonProperty("status") RunStatus status,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("finished_at") Instant finishedAt,
    @JsonProperty("duration_ms") Integer durationMs,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("message") String message,
    @JsonProperty("log_url") String logUrl,
    @JsonProperty("machine_name") String machineName,
    @JsonProperty("raw") JsonNode raw,
    @JsonProperty("body_digest") String bodyDigest,
    @JsonProperty("assumed_time_zone") String assumedTimeZone) {

  public static final int SCHEMA_VERSION = 1;

  /** An event without the optional fields added later, as producers before them wrote it. */
  public RunReported(
      int schemaVersion,
      UUID reportId,
      UUID monitorId,
      Instant receivedAt,
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
      JsonNode raw) {
    this(
        schemaVersion,
        reportId,
        monitorId,
        receivedAt,
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
        raw,
        null,
        null);
  }

  /** The event for a validated report, with its monitor id derived from the report's identity. */
  public static RunReported of(
      UUID reportId, Instant receivedAt, MonitorReport report, JsonNode raw) {
    return new RunReported(
        SCHEMA_VERSION,
        reportId,
        MonitorIdentity.monitorId(report.taskKey(), report.kind(), report.machineName()),
        receivedAt,
        report.taskKey(),
        report.taskName(),
        report.kind(),
        report.status(),
        report.startedAt(),
        report.finishedAt(),
        report.durationMs(),
        report.exitCode(),
        report.message(),
        report.logUrl(),
        report.machineName(),
        raw,
        ReportDigest.of(report),
        report.assumedTimeZone());
  }

  /** The same event under another report id (a different run that arrived under a taken id). */
  public RunReported withReportId(UUID newReportId) {
    return new RunReported(
        schemaVersion,
        newReportId,
        monitorId,
        receivedAt,
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
        raw,
        bodyDigest,
        assumedTimeZone);
  }

  /** The report as the spec describes it, for re-validation by consumers. */
  public MonitorReport report() {
    return new MonitorReport(
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
        assumedTimeZone);
  }

  /**
   * When the run happened, for deciding which report is newest: finished, else started, else
   * received. A late or replayed report with an older instant never overwrites a newer state.
   */
  @JsonIgnore
  public Instant occurredAt() {
    if (finishedAt != null) {
      return finishedAt;
    }
    return startedAt != null ? startedAt : receivedAt;
  }

  /** The client's duration, or the one the two instants give when it sent none. */
  @JsonIgnore
  public Integer effectiveDurationMs() {
    if (durationMs != null) {
      return durationMs;
    }
    if (startedAt == null || finishedAt == null || finishedAt.isBefore(startedAt)) {
      return null;
    }
    long millis = Duration.between(startedAt, finishedAt).toMillis();
    return millis > Integer.MAX_VALUE ? null : (int) millis;
  }
}
