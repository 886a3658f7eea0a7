package jp.tcportal.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.event.JsonEventDeserializer;
import jp.tcportal.schema.event.JsonEventSerializer;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.InvalidReportException;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.ReportLimits;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.report.ReportParser.ParsedReport;
import jp.tcportal.schema.topic.Topics;

/**
 * Fuzzes {@code shared-schema}'s report parser and validator with Jazzer. Whatever the bytes, the
 * parser either returns a report that keeps every limit, or refuses with an {@link
 * InvalidReportException} that tells the client why; any other exception is a finding. An accepted
 * report must also survive the trip through the Kafka serdes unchanged, as the processor reads it.
 *
 * <p>Every test run replays the committed corpus in {@code ReportParserFuzzTestsInputs}; {@code
 * -Pfuzz} generates new inputs for a bounded time (docs/security.md).
 */
class ReportParserFuzzTests {

  private static final JsonEventSerializer SERIALIZER = new JsonEventSerializer();
  private static final JsonEventDeserializer.RunReportedDeserializer DESERIALIZER =
      new JsonEventDeserializer.RunReportedDeserializer();
  private static final UUID REPORT_ID = UUID.fromString("6f1c2e57-3a0b-4b6e-9a43-0d5c1f0e8a11");
  private static final Instant RECEIVED_AT = Instant.parse("2026-01-22T09:00:00Z");

  @FuzzTest(maxDuration = "30s")
  void parsesAReportOrRefusesItWithAMessage(byte[] body) {
    ParsedReport parsed;
    try {
      parsed = ReportParser.parse(body);
    } catch (InvalidReportException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      assertThat(refused.reason()).isNotNull();
      return;
    }
    MonitorReport report = parsed.report();
    assertThat(report.taskKey())
        .isNotBlank()
        .hasSizeLessThanOrEqualTo(ReportLimits.MAX_TASK_KEY_LENGTH);
    assertThat(report.taskName())
        .isNotBlank()
        .hasSizeLessThanOrEqualTo(ReportLimits.MAX_TASK_NAME_LENGTH);
    assertThat(report.kind()).isNotNull();
    assertThat(report.status()).isNotNull();
    if (report.message() != null) {
      assertThat(report.message()).hasSizeLessThanOrEqualTo(ReportLimits.MAX_MESSAGE_LENGTH);
    }
    if (report.machineName() != null) {
      assertThat(report.machineName()).isNotEmpty();
    }
    if (report.durationMs() != null) {
      assertThat(report.durationMs()).isNotNegative();
    }
    // The processor validates the event's raw body again: it must reach the same verdict.
    assertThat(ReportParser.validate(parsed.body())).isEqualTo(report);

    RunReported event = RunReported.of(REPORT_ID, RECEIVED_AT, report, parsed.body());
    byte[] onTheWire = SERIALIZER.serialize(Topics.RUN_REPORTED.name(), event);
    assertThat(DESERIALIZER.deserialize(Topics.RUN_REPORTED.name(), onTheWire)).isEqualTo(event);
  }
}
