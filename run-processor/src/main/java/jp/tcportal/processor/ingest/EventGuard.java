package jp.tcportal.processor.ingest;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import jp.tcportal.processor.deadletter.RecordRejectedException;
import jp.tcportal.processor.deadletter.RecordRejectedException.Reason;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.InvalidReportException;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.ReportDigest;
import jp.tcportal.schema.report.ReportParser;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an event again before it reaches the database, with the gateway's own rules, so a record
 * written by anything other than the gateway cannot store what the gateway would have refused.
 */
final class EventGuard {

  private EventGuard() {}

  /**
   * Returns the event with its report normalised as the gateway would (an empty machine name is
   * absent, instants in microseconds), or refuses it.
   */
  static RunReported accept(RunReported event) {
    if (event.schemaVersion() != RunReported.SCHEMA_VERSION) {
      throw invalid("unsupported schema_version " + event.schemaVersion(), null);
    }
    if (event.reportId() == null || event.monitorId() == null || event.receivedAt() == null) {
      throw invalid("report_id, monitor_id and received_at are required", null);
    }
    MonitorReport report;
    try {
      report = ReportParser.validate(asRequestBody(event));
    } catch (InvalidReportException e) {
      throw invalid(e.getMessage(), e);
    }
    if (!event
        .monitorId()
        .equals(MonitorIdentity.monitorId(report.taskKey(), report.kind(), report.machineName()))) {
      throw invalid("monitor_id does not match task_key, kind and machine_name", null);
    }
    // Recomputed rather than trusted: the stored digest decides whether a reused report_id is a
    // retry (no-op) or a different run (stored under a derived id), so it must match the fields.
    String digest = ReportDigest.of(report);
    if (event.bodyDigest() != null && !event.bodyDigest().equals(digest)) {
      throw invalid("body_digest does not match the report's fields", null);
    }
    String assumedTimeZone = zoneId(event.assumedTimeZone());
    return new RunReported(
        event.schemaVersion(),
        event.reportId(),
        event.monitorId(),
        // PostgreSQL keeps microseconds; the ordering rule must compare what it stores.
        event.receivedAt().truncatedTo(ChronoUnit.MICROS),
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
        event.raw(),
        digest,
        assumedTimeZone);
  }

  /** The gateway read instants without an offset in this zone; it must name one. */
  private static String zoneId(String assumedTimeZone) {
    if (assumedTimeZone == null) {
      return null;
    }
    try {
      return ZoneId.of(assumedTimeZone).getId();
    } catch (DateTimeException e) {
      throw invalid("assumed_time_zone is not a time zone id", e);
    }
  }

  /** The event's report fields as the spec's request body, for {@link ReportParser#validate}. */
  private static ObjectNode asRequestBody(RunReported event) {
    ObjectNode body = EventJson.mapper().createObjectNode();
    body.put("task_key", event.taskKey());
    body.put("task_name", event.taskName());
    body.put("kind", event.kind() == null ? null : event.kind().wireName());
    body.put("status", event.status() == null ? null : event.status().wireName());
    body.put("started_at", event.startedAt() == null ? null : event.startedAt().toString());
    body.put("finished_at", event.finishedAt() == null ? null : event.finishedAt().toString());
    body.put("duration_ms", event.durationMs());
    body.put("exit_code", event.exitCode());
    body.put("message", event.message());
    body.put("log_url", event.logUrl());
    body.put("machine_name", event.machineName());
    return body;
  }

  private static RecordRejectedException invalid(String message, Throwable cause) {
    return new RecordRejectedException(Reason.INVALID_EVENT, message, cause);
  }
}
