package jp.tcportal.schema.report;

import static jp.tcportal.schema.report.InvalidReportException.Reason.INVALID_VALUE;
import static jp.tcportal.schema.report.InvalidReportException.Reason.MALFORMED_JSON;
import static jp.tcportal.schema.report.InvalidReportException.Reason.MISSING_FIELD;
import static jp.tcportal.schema.report.InvalidReportException.Reason.NOT_AN_OBJECT;
import static jp.tcportal.schema.report.InvalidReportException.Reason.TOO_LONG;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jp.tcportal.schema.event.EventJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request body into a {@link MonitorReport}, or refuses it with the spec's error messages.
 *
 * <p>The gateway uses it on every request; the processor uses it again as a guard, so a record that
 * somehow bypassed the gateway cannot reach the database. Both therefore share one rule: whatever
 * passes here is storable (instants within PostgreSQL's and ISO 8601's plain range, text without
 * U+0000, lengths within the limits).
 *
 * <p>What the spec's server stored and this one used to refuse is accepted in a documented form and
 * reported as a {@link Leniency}: an instant without an offset is read in the client zone,
 * over-long optional text is cut with a visible marker, a fractional {@code duration_ms} is rounded
 * half up and a negative one dropped.
 */
public final class ReportParser {

  /** The zone the spec's clients run in (Japanese Windows PCs), unless configured otherwise. */
  public static final ZoneId DEFAULT_CLIENT_ZONE = ZoneId.of("Asia/Tokyo");

  /**
   * The instants every consumer can store and print: PostgreSQL's timestamptz ends in 294276 AD,
   * but a year beyond 9999 is written with a sign ({@code +10000-01-01T00:00:00Z}) that neither
   * PostgreSQL nor most clients read back, and year 0 and before is not a year PostgreSQL accepts
   * in ISO form.
   */
  public static final Instant EARLIEST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

  public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private ReportParser() {}

  /** Parses raw bytes in the default client zone; the JSON must be a single object. */
  public static ParsedReport parse(byte[] body) {
    return parse(body, DEFAULT_CLIENT_ZONE);
  }

  /**
   * Parses raw bytes; the JSON must be a single object. An instant without an offset is read in
   * {@code clientZone}.
   */
  public static ParsedReport parse(byte[] body, ZoneId clientZone) {
    if (body == null || body.length == 0) {
      throw new InvalidReportException(NOT_AN_OBJECT, "Request body must be a JSON object");
    }
    JsonNode tree;
    try {
      tree = EventJson.bodyMapper().readTree(body);
    } catch (JacksonException e) {
      throw new InvalidReportException(MALFORMED_JSON, malformedMessage(e));
    }
    Set<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
    MonitorReport report = validate(tree, clientZone, leniencies);
    return new ParsedReport(report, tree, Collections.unmodifiableSet(leniencies));
  }

  /**
   * Validates an already parsed body (an instant without an offset is read in the default zone).
   */
  public static MonitorReport validate(JsonNode body) {
    return validate(body, DEFAULT_CLIENT_ZONE, EnumSet.noneOf(Leniency.class));
  }

  private static MonitorReport validate(
      JsonNode body, ZoneId clientZone, Set<Leniency> leniencies) {
    if (body == null || !body.isObject()) {
      throw new InvalidReportException(NOT_AN_OBJECT, "Request body must be a JSON object");
    }
    String taskKey = requiredString(body, "task_key", ReportLimits.MAX_TASK_KEY_LENGTH);
    String taskName =
        truncated(
            requiredString(body, "task_name", Integer.MAX_VALUE),
            ReportLimits.MAX_TASK_NAME_LENGTH,
            leniencies);
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

    Set<Leniency> zoneAssumed = EnumSet.noneOf(Leniency.class);
    Instant startedAt = optionalInstant(body, "started_at", clientZone, zoneAssumed);
    Instant finishedAt = optionalInstant(body, "finished_at", clientZone, zoneAssumed);
    leniencies.addAll(zoneAssumed);
    Integer durationMs = optionalDuration(body, leniencies);
    Long exitCode =
        optionalInteger(body, "exit_code", ReportLimits.MIN_EXIT_CODE, ReportLimits.MAX_EXIT_CODE);
    String message =
        truncated(
            optionalString(body, "message", Integer.MAX_VALUE),
            ReportLimits.MAX_MESSAGE_LENGTH,
            leniencies);
    String logUrl =
        truncated(
            optionalString(body, "log_url", Integer.MAX_VALUE),
            ReportLimits.MAX_LOG_URL_LENGTH,
            leniencies);
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
        durationMs,
        exitCode == null ? null : (int) exitCode.longValue(),
        message,
        logUrl,
        machineName == null || machineName.isEmpty() ? null : machineName,
        zoneAssumed.isEmpty() ? null : clientZone.getId());
  }

  /**
   * The text cut to {@code limit} characters (UTF-16 units, as the limits count) with a visible
   * marker that says how long it was; the result, marker included, fits the limit. A cut never
   * splits a surrogate pair.
   */
  public static String truncated(String text, int limit, Set<Leniency> leniencies) {
    if (text == null || text.length() <= limit) {
      return text;
    }
    leniencies.add(Leniency.TRUNCATED);
    String marker = String.format(Locale.ROOT, "…(truncated, %,d characters)", text.length());
    int keep = Math.max(0, limit - marker.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + marker;
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

  /**
   * An ISO 8601 instant; without an offset (Python's {@code datetime.now().isoformat()}, which the
   * spec's own client sends) it is read in the client zone, and {@code zoneAssumed} says so.
   */
  private static Instant optionalInstant(
      JsonNode body, String field, ZoneId clientZone, Set<Leniency> zoneAssumed) {
    String text = optionalString(body, field, 64);
    if (text == null) {
      return null;
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        instant =
            LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .atZone(clientZone)
                .toInstant();
        zoneAssumed.add(Leniency.ASSUMED_ZONE);
      } catch (DateTimeParseException e) {
        throw new InvalidReportException(
            INVALID_VALUE,
            field
                + " must be an ISO 8601 timestamp, e.g. 2026-01-22T09:00:00Z or"
                + " 2026-01-22T18:00:00+09:00");
      }
    }
    // The database keeps microseconds; truncating here keeps comparisons exact.
    instant = instant.truncatedTo(ChronoUnit.MICROS);
    if (instant.isBefore(EARLIEST_INSTANT) || instant.isAfter(LATEST_INSTANT)) {
      throw new InvalidReportException(
          INVALID_VALUE, field + " must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
    }
    return instant;
  }

  /**
   * Milliseconds as an INT column holds them. The spec's server stored what PostgreSQL made of the
   * number: a fraction is rounded half up (1234.5 becomes 1235), and a negative duration, which
   * means nothing, is stored as absent rather than refusing the whole run.
   */
  private static Integer optionalDuration(JsonNode body, Set<Leniency> leniencies) {
    JsonNode value = body.get("duration_ms");
    if (value == null || value.isNull()) {
      return null;
    }
    String rule = "duration_ms must be a number of milliseconds, at most " + Integer.MAX_VALUE;
    if (!value.isNumber()
        || (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue()))) {
      throw new InvalidReportException(INVALID_VALUE, rule);
    }
    BigDecimal number =
        value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
    if (number.signum() < 0) {
      leniencies.add(Leniency.DURATION_NEGATIVE);
      return null;
    }
    BigDecimal rounded = number.setScale(0, RoundingMode.HALF_UP);
    if (rounded.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new InvalidReportException(INVALID_VALUE, rule);
    }
    if (!value.isIntegralNumber()) {
      leniencies.add(Leniency.DURATION_ROUNDED);
    }
    return rounded.intValueExact();
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
    if (detail.toLowerCase(Locale.ROOT).contains("duplicate")) {
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

  /**
   * A valid report together with the body it came from, kept as the run's {@code raw}, and what was
   * accepted leniently.
   */
  public record ParsedReport(MonitorReport report, JsonNode body, Set<Leniency> leniencies) {

    public ParsedReport(MonitorReport report, JsonNode body) {
      this(report, body, Set.of());
    }
  }
}
