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

  /**
   * Events embed the request body as {@code raw}, one level deeper than in the body: an event may
   * nest one level more than a body, or a body the gateway accepted at the limit would be refused
   * by every consumer.
   */
  private static final JsonMapper MAPPER = build(ReportLimits.MAX_NESTING_DEPTH + 1);

  private static final JsonMapper BODY_MAPPER = build(ReportLimits.MAX_NESTING_DEPTH);

  private EventJson() {}

  /** For events and everything else the services write and read among themselves. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** For a client's request body, bounded by {@link ReportLimits#MAX_NESTING_DEPTH}. */
  public static JsonMapper bodyMapper() {
    return BODY_MAPPER;
  }

  private static JsonMapper build(int maxNestingDepth) {
    return JsonMapper.builder(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxNumberLength(ReportLimits.MAX_NUMBER_LENGTH)
                        .maxStringLength(ReportLimits.MAX_BODY_BYTES)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // Newer producers may add fields (additive changes keep the schema version).
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }
}
