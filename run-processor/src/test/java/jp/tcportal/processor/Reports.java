package jp.tcportal.processor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.ReportParser;

/** Builds RunReported events the way the gateway does: parse the spec's body, then wrap it. */
final class Reports {

  private Reports() {}

  static RunReported fromBody(String json) {
    return fromBody(UUID.randomUUID(), json);
  }

  static RunReported fromBody(UUID reportId, String json) {
    return fromBody(reportId, json, Instant.now());
  }

  /** The event as a gateway would have built it on receiving the body at {@code receivedAt}. */
  static RunReported fromBody(String json, Instant receivedAt) {
    return fromBody(UUID.randomUUID(), json, receivedAt);
  }

  private static RunReported fromBody(UUID reportId, String json, Instant receivedAt) {
    ReportParser.ParsedReport parsed = ReportParser.parse(json.getBytes(StandardCharsets.UTF_8));
    return RunReported.of(
        reportId, receivedAt.truncatedTo(ChronoUnit.MICROS), parsed.report(), parsed.body());
  }

  /** A minimal valid body for {@code taskKey}, finished at {@code finishedAt}. */
  static String body(String taskKey, String status, String finishedAt) {
    return """
        {"task_key": "%s", "task_name": "Task %s", "kind": "python", "status": "%s",
         "finished_at": "%s"}
        """
        .formatted(taskKey, taskKey, status, finishedAt);
  }

  static String uniqueKey(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  static byte[] json(Object event) {
    return EventJson.mapper().writeValueAsBytes(event);
  }
}
