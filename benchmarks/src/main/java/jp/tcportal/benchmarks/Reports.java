package jp.tcportal.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.event.JsonEventSerializer;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.topic.Topics;

/**
 * Reports shaped like a real fleet's: a BAT job per monitor on one machine, Japanese names, one run
 * in five failed with a short message — about 330 bytes of JSON, as the clients send them.
 */
final class Reports {

  static final String MACHINE = "BENCH-01";

  private static final JsonEventSerializer<RunReported> SERIALIZER = new JsonEventSerializer<>();

  private Reports() {}

  static String taskKey(int monitor) {
    return String.format("bench-%05d", monitor);
  }

  static String body(String taskKey, long sequence) {
    boolean failed = sequence % 5 == 0;
    Instant finished = Instant.now();
    Instant started = finished.minusMillis(1500 + sequence % 1000);
    return "{\"task_key\":\""
        + taskKey
        + "\",\"task_name\":\"ベンチマーク取込 "
        + taskKey
        + "\",\"kind\":\"bat\",\"status\":\""
        + (failed ? "failed" : "success")
        + "\",\"exit_code\":"
        + (failed ? 1 : 0)
        + ",\"started_at\":\""
        + started
        + "\",\"finished_at\":\""
        + finished
        + "\",\"message\":\""
        + (failed ? "ERROR: 取込ファイルが見つかりません (run " + sequence + ")" : "OK run " + sequence)
        + "\",\"log_url\":\"\\\\\\\\fileserver\\\\logs\\\\"
        + taskKey
        + ".log\",\"machine_name\":\""
        + MACHINE
        + "\"}";
  }

  static UUID monitorId(String taskKey) {
    return MonitorIdentity.monitorId(taskKey, Kind.BAT, MACHINE);
  }

  /** The event the gateway would publish for this body, serialized as on the topic. */
  static byte[] event(String body, UUID reportId) {
    return event(parse(body), reportId);
  }

  static ReportParser.ParsedReport parse(String body) {
    return ReportParser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The event for an already parsed report: a backlog of a million skips a million parses. */
  static byte[] event(ReportParser.ParsedReport parsed, UUID reportId) {
    RunReported event = RunReported.of(reportId, Instant.now(), parsed.report(), parsed.body());
    return SERIALIZER.serialize(Topics.RUN_REPORTED.name(), event);
  }
}
