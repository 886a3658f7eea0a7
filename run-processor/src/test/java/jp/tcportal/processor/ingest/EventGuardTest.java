package jp.tcportal.processor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jp.tcportal.processor.deadletter.RecordRejectedException;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.ReportParser;
import org.junit.jupiter.api.Test;

class EventGuardTest {

  private static final RunReported VALID =
      gatewayEvent(
          """
          {"task_key": "job", "task_name": "ジョブ", "kind": "bat", "status": "failed",
           "started_at": "2026-01-22T09:00:00Z", "exit_code": 3221225477, "machine_name": "PC-01"}
          """);

  @Test
  void acceptsWhatTheGatewayPublishes() {
    assertThat(EventGuard.accept(VALID)).isEqualTo(VALID);
  }

  @Test
  void computesTheDigestForAnEventFromBeforeDigestsAndRefusesOneThatDoesNotMatch() {
    RunReported withoutDigest = withDigestAndZone(VALID, null, null);
    assertThat(EventGuard.accept(withoutDigest).bodyDigest()).isEqualTo(VALID.bodyDigest());

    RunReported forged = withDigestAndZone(VALID, "0".repeat(64), null);
    assertThatThrownBy(() -> EventGuard.accept(forged))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessageContaining("body_digest does not match");
  }

  @Test
  void keepsTheAssumedZoneAndRefusesOneThatIsNoZone() {
    assertThat(EventGuard.accept(withDigestAndZone(VALID, null, "Asia/Tokyo")).assumedTimeZone())
        .isEqualTo("Asia/Tokyo");
    assertThatThrownBy(() -> EventGuard.accept(withDigestAndZone(VALID, null, "Mars/Olympus")))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessageContaining("assumed_time_zone");
  }

  private static RunReported withDigestAndZone(RunReported event, String digest, String zone) {
    return new RunReported(
        event.schemaVersion(),
        event.reportId(),
        event.monitorId(),
        event.receivedAt(),
        event.taskKey(),
        event.taskName(),
        event.kind(),
        event.status(),
        event.startedAt(),
        event.finishedAt(),
        event.durationMs(),
        event.exitCode(),
        event.message(),
        event.logUrl(),
        event.machineName(),
        event.raw(),
        digest,
        zone);
  }

  @Test
  void treatsAnEmptyMachineNameAsAbsent() {
    RunReported empty = withMachine(VALID, "", MonitorIdentity.monitorId("job", Kind.BAT, null));

    assertThat(EventGuard.accept(empty).machineName()).isNull();
  }

  @Test
  void keepsReceivedAtToTheMicrosecondThatPostgresStores() {
    RunReported nanos =
        new RunReported(
            1,
            VALID.reportId(),
            VALID.monitorId(),
            Instant.parse("2026-01-22T09:00:00.123456789Z"),
            VALID.taskKey(),
            VALID.taskName(),
            VALID.kind(),
            VALID.status(),
            VALID.startedAt(),
            VALID.finishedAt(),
            VALID.durationMs(),
            VALID.exitCode(),
            VALID.message(),
            VALID.logUrl(),
            VALID.machineName(),
            VALID.raw());

    assertThat(EventGuard.accept(nanos).receivedAt())
        .isEqualTo(Instant.parse("2026-01-22T09:00:00.123456Z"));
  }

  @Test
  void refusesAnUnknownSchemaVersion() {
    RunReported future =
        new RunReported(
            2,
            VALID.reportId(),
            VALID.monitorId(),
            VALID.receivedAt(),
            VALID.taskKey(),
            VALID.taskName(),
            VALID.kind(),
            VALID.status(),
            VALID.startedAt(),
            VALID.finishedAt(),
            VALID.durationMs(),
            VALID.exitCode(),
            VALID.message(),
            VALID.logUrl(),
            VALID.machineName(),
            VALID.raw());

    assertRefused(future, "unsupported schema_version 2");
  }

  @Test
  void refusesAnEventWithoutReportId() {
    RunReported anonymous =
        new RunReported(
            1,
            null,
            VALID.monitorId(),
            VALID.receivedAt(),
            VALID.taskKey(),
            VALID.taskName(),
            VALID.kind(),
            VALID.status(),
            VALID.startedAt(),
            VALID.finishedAt(),
            VALID.durationMs(),
            VALID.exitCode(),
            VALID.message(),
            VALID.logUrl(),
            VALID.machineName(),
            VALID.raw());

    assertRefused(anonymous, "report_id, monitor_id and received_at are required");
  }

  @Test
  void refusesAMissingKindWithTheGatewaysMessage() {
    RunReported noKind =
        new RunReported(
            1,
            VALID.reportId(),
            VALID.monitorId(),
            VALID.receivedAt(),
            VALID.taskKey(),
            VALID.taskName(),
            null,
            VALID.status(),
            VALID.startedAt(),
            VALID.finishedAt(),
            VALID.durationMs(),
            VALID.exitCode(),
            VALID.message(),
            VALID.logUrl(),
            VALID.machineName(),
            VALID.raw());

    assertRefused(noKind, "kind is required and must be a string");
  }

  @Test
  void refusesANulCharacterThatPostgresCouldNotStore() {
    RunReported nul =
        new RunReported(
            1,
            VALID.reportId(),
            VALID.monitorId(),
            VALID.receivedAt(),
            VALID.taskKey(),
            VALID.taskName(),
            VALID.kind(),
            VALID.status(),
            VALID.startedAt(),
            VALID.finishedAt(),
            VALID.durationMs(),
            VALID.exitCode(),
            "a\u0000b",
            VALID.logUrl(),
            VALID.machineName(),
            VALID.raw());

    assertRefused(nul, "message must not contain NUL characters");
  }

  @Test
  void refusesAMonitorIdThatDoesNotMatchTheIdentity() {
    RunReported forged = withMachine(VALID, "PC-01", UUID.randomUUID());

    assertRefused(forged, "monitor_id does not match task_key, kind and machine_name");
  }

  private static void assertRefused(RunReported event, String message) {
    assertThatThrownBy(() -> EventGuard.accept(event))
        .isInstanceOfSatisfying(
            RecordRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordRejectedException.Reason.INVALID_EVENT))
        .hasMessage(message);
  }

  private static RunReported withMachine(RunReported event, String machine, UUID monitorId) {
    return new RunReported(
        1,
        event.reportId(),
        monitorId,
        event.receivedAt(),
        event.taskKey(),
        event.taskName(),
        event.kind(),
        event.status(),
        event.startedAt(),
        event.finishedAt(),
        event.durationMs(),
        event.exitCode(),
        event.message(),
        event.logUrl(),
        machine,
        event.raw());
  }

  private static RunReported gatewayEvent(String json) {
    ReportParser.ParsedReport parsed = ReportParser.parse(json.getBytes(StandardCharsets.UTF_8));
    // The gateway stamps received_at in microseconds, as PostgreSQL stores it.
    return RunReported.of(
        UUID.randomUUID(),
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        parsed.report(),
        parsed.body());
  }
}
