package jp.tcportal.schema.report;

import static jp.tcportal.schema.report.InvalidReportException.Reason.INVALID_VALUE;
import static jp.tcportal.schema.report.InvalidReportException.Reason.MALFORMED_JSON;
import static jp.tcportal.schema.report.InvalidReportException.Reason.MISSING_FIELD;
import static jp.tcportal.schema.report.InvalidReportException.Reason.NOT_AN_OBJECT;
import static jp.tcportal.schema.report.InvalidReportException.Reason.TOO_LONG;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import jp.tcportal.schema.event.EventJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request body into a {@link MonitorReport}, or refuses it with the spec's error messages.
 *
 * <p>The gateway uses it on every request; the processor uses it again as a guard, so a record that
 * somehow bypassed the gateway cannot reach the database.
 */
public final class ReportParser {

  private ReportParser() {}

  /** Parses raw bytes; the JSON must be a single object. */
  public static ParsedReport parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidReportException(NOT_AN_OBJECT, "Request body must be a JSON object");
    }
    JsonNode tree;
    try {
      tree = EventJson.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new InvalidReportException(MALFORMED_JSON, malformedMessage(e));
    }
    return new ParsedReport(validate(tree), tree);
  }

  /** Validates an already parsed body. */
  public static MonitorReport validate(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidReportException(NOT_AN_OBJECT, "Request body must be a JSON object");
    }
    String taskKey = requiredString(body, "task_key", ReportLimits.MAX_TASK_KEY_LENGTH);
    String taskName = requiredString(body, "task_name", ReportLimits.MAX_TASK_NAME_LENGTH);
    String kindName = requiredString(body, "kind", Integer.MAX_VALUE);
    Kind kind =
        Kind.fromWireName(kindName)
            .orElseThrow(
                () ->
                    new InvalidReportException(INVALID_VALUE, "kind must be one of: python, bat"));
    String statusName = requiredString(body, "status", Integer.MAX_VALUE);
    RunStatus status =
        RunStatus.fromWireName(statusName)
            .orElseThrow(
                () ->
                    new InvalidReportException(
                        INVALID_VALUE, "status must be one of: success, failed"));

    Instant startedAt = optionalInstant(body, "started_at");
    Instant finishedAt = optionalInstant(body, "finished_at");
    Long durationMs = optionalInteger(body, "duration_ms", 0, Integer.MAX_VALUE);
    Long exitCode =
        optionalInteger(body, "exit_code", ReportLimits.MIN_EXIT_CODE, ReportLimits.MAX_EXIT_CODE);
    String message = optionalString(body, "message", ReportLimits.MAX_MESSAGE_LENGTH);
    String logUrl = optionalString(body, "log_url", ReportLimits.MAX_LOG_URL_LENGTH);
    String machineName = optionalString(body, "machine_name", ReportLimits.MAX_MACHINE_NAME_LENGTH);
    // The whole body is stored as raw JSONB: an unknown field must be storable as well.
    requireStorableText(body);

    return new MonitorReport(
        taskKey,
        taskName,
        kind,
        status,
        startedAt,
        finishedAt,
        durationMs == null ? null : durationMs.intValue(),
        exitCode == null ? null : (int) exitCode.longValue(),
        message,
        logUrl,
        machineName == null || machineName.isEmpty() ? null : machineName);
  }

  private static String requiredString(JsonNode body, String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || !value.isString()) {
      throw new InvalidReportException(MISSING_FIELD, field + " is required and must be a string");
    }
    String text = value.stringValue();
    if (text.isBlank()) {
      throw new InvalidReportException(MISSING_FIELD, field + " must not be blank");
    }
    return checked(field, text, maxLength);
  }

  private static String optionalString(JsonNode body, String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new InvalidReportException(INVALID_VALUE, field + " must be a string");
    }
    return checked(field, value.stringValue(), maxLength);
  }

  private static String checked(String field, String text, int maxLength) {
    if (text.length() > maxLength) {
      throw new InvalidReportException(
          TOO_LONG, field + " must be at most " + maxLength + " characters");
    }
    // PostgreSQL cannot store U+0000 in TEXT or JSONB; refuse it here rather than fail later.
    if (text.indexOf('\u0000') >= 0) {
      throw new InvalidReportException(INVALID_VALUE, field + " must not contain NUL characters");
    }
    if (hasUnpairedSurrogate(text)) {
      throw new InvalidReportException(
          INVALID_VALUE, field + " must not contain unpaired surrogates");
    }
    return text;
  }

  /**
   * Every string and field name of the body, at any depth, must be storable, and every number
   * representable: PostgreSQL refuses U+0000 and a lone UTF-16 surrogate (valid JSON escapes such
   * as {@code "\ud800"}) in JSONB, and no UTF-8 can carry the latter, so such a report would poison
   * the processor's batch later.
   */
  private static void requireStorableText(JsonNode node) {
    if (node.isString()) {
      requireStorable(node.stringValue());
    } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      // 1e400 becomes Infinity, which JSON cannot carry on: the event would say "Infinity".
      throw new InvalidReportException(INVALID_VALUE, "Invalid JSON body: number out of range");
    } else if (node.isObject()) {
      for (var field : node.properties()) {
        requireStorable(field.getKey());
        requireStorableText(field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        requireStorableText(element);
      }
    }
  }

  private static void requireStorable(String text) {
    if (text.indexOf('\u0000') >= 0 || hasUnpairedSurrogate(text)) {
      throw new InvalidReportException(
          INVALID_VALUE, "Invalid JSON body: text must not contain U+0000 or unpaired surrogates");
    }
  }

  private static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static Instant optionalInstant(JsonNode body, String field) {
    String text = optionalString(body, field, 64);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          // The database keeps microseconds; truncating here keeps comparisons exact.
          .truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      throw new InvalidReportException(
          INVALID_VALUE,
          field + " must be an ISO 8601 timestamp with Z or an offset, e.g. 2026-01-22T09:00:00Z");
    }
  }

  private static Long optionalInteger(JsonNode body, String field, long min, long max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String rule = field + " must be an integer from " + min + " to " + max;
    if (!value.isIntegralNumber()) {
      throw new InvalidReportException(INVALID_VALUE, rule);
    }
    BigInteger number = value.bigIntegerValue();
    if (number.compareTo(BigInteger.valueOf(min)) < 0
        || number.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new InvalidReportException(INVALID_VALUE, rule);
    }
    return number.longValue();
  }

  private static String malformedMessage(JacksonException e) {
    String detail = Optional.ofNullable(e.getOriginalMessage()).orElse("unreadable");
    if (detail.toLowerCase(java.util.Locale.ROOT).contains("duplicate")) {
      return "Invalid JSON body: duplicate field";
    }
    if (detail.contains("nesting depth")) {
      return "Invalid JSON body: nesting deeper than " + ReportLimits.MAX_NESTING_DEPTH;
    }
    if (detail.contains("Number value length")) {
      return "Invalid JSON body: number longer than " + ReportLimits.MAX_NUMBER_LENGTH + " digits";
    }
    return "Invalid JSON body";
  }

  /** A valid report together with the body it came from, kept as the run's {@code raw}. */
  public record ParsedReport(MonitorReport report, JsonNode body) {}
}
