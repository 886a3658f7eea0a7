package jp.tcportal.schema.event;

import jp.tcportal.schema.report.ReportLimits;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration for reports and events: snake_case names come from the records'
 * annotations, instants are ISO 8601 strings, and input is bounded so a hostile body cannot exhaust
 * the service.
 */
public final class EventJson {

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(ReportLimits.MAX_NESTING_DEPTH)
                          .maxNumberLength(ReportLimits.MAX_NUMBER_LENGTH)
                          .maxStringLength(ReportLimits.MAX_BODY_BYTES)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Newer producers may add fields (additive changes keep the schema version).
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private EventJson() {}

  public static JsonMapper mapper() {
    return MAPPER;
  }
}
