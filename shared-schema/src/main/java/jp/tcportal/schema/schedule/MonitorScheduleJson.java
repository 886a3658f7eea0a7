package jp.tcportal.schema.schedule;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The settings' JSON shape in {@code PATCH} and {@code GET /api/v1/monitors/{id}}, so both read and
 * write it one way and a wrong JSON type gets the same message as a value out of range.
 */
public final class MonitorScheduleJson {

  static final String SCHEDULE = "schedule";

  private MonitorScheduleJson() {}

  /**
   * Applies a PATCH body's settings to the current ones. A field that is absent keeps its value;
   * {@code null} resets it ({@code schedule} to none, {@code grace_seconds} to 600, thresholds to
   * 1, {@code max_runtime_seconds} to no limit). A {@code schedule} object replaces the whole
   * schedule (a missing {@code time_zone} is Asia/Tokyo). Other fields, such as {@code enabled},
   * are left to the caller.
   *
   * @throws InvalidScheduleException naming the first bad field and its range
   */
  public static MonitorSchedule applyPatch(MonitorSchedule current, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidScheduleException("body", "body must be a JSON object");
    }
    Schedule schedule = current.schedule();
    if (body.has(SCHEDULE)) {
      schedule = readSchedule(body.get(SCHEDULE));
    }
    Long grace = current.graceSeconds();
    if (body.has(MonitorSchedule.GRACE_FIELD)) {
      grace = integer(body.get(MonitorSchedule.GRACE_FIELD), MonitorSchedule.graceRange());
    }
    Long maxRuntime = current.maxRuntimeSeconds();
    if (body.has(MonitorSchedule.MAX_RUNTIME_FIELD)) {
      maxRuntime =
          integer(body.get(MonitorSchedule.MAX_RUNTIME_FIELD), MonitorSchedule.maxRuntimeRange());
    }
    Long failure = (long) current.failureThreshold();
    if (body.has(MonitorSchedule.FAILURE_THRESHOLD_FIELD)) {
      failure =
          integer(
              body.get(MonitorSchedule.FAILURE_THRESHOLD_FIELD),
              MonitorSchedule.thresholdRange(MonitorSchedule.FAILURE_THRESHOLD_FIELD));
    }
    Long recovery = (long) current.recoveryThreshold();
    if (body.has(MonitorSchedule.RECOVERY_THRESHOLD_FIELD)) {
      recovery =
          integer(
              body.get(MonitorSchedule.RECOVERY_THRESHOLD_FIELD),
              MonitorSchedule.thresholdRange(MonitorSchedule.RECOVERY_THRESHOLD_FIELD));
    }
    return MonitorSchedule.of(schedule, grace, maxRuntime, failure, recovery);
  }

  /** The settings as the API shows them, every field present ({@code null} where unset). */
  public static ObjectNode toJson(MonitorSchedule settings) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ObjectNode schedule = json.putObject(SCHEDULE);
    schedule.put("type", settings.schedule().type().wireName());
    schedule.put("interval_seconds", settings.schedule().intervalSeconds());
    schedule.put("cron", settings.schedule().cronText());
    schedule.put("time_zone", settings.schedule().timeZone());
    json.put(MonitorSchedule.GRACE_FIELD, settings.graceSeconds());
    json.put(MonitorSchedule.MAX_RUNTIME_FIELD, settings.maxRuntimeSeconds());
    json.put(MonitorSchedule.FAILURE_THRESHOLD_FIELD, settings.failureThreshold());
    json.put(MonitorSchedule.RECOVERY_THRESHOLD_FIELD, settings.recoveryThreshold());
    return json;
  }

  private static Schedule readSchedule(JsonNode node) {
    if (node.isNull()) {
      return Schedule.NONE;
    }
    if (!node.isObject()) {
      throw new InvalidScheduleException(
          SCHEDULE, "schedule must be an object with type none, interval or cron, or null");
    }
    JsonNode type = node.get("type");
    String typeName = type != null && type.isString() ? type.stringValue() : null;
    ScheduleType scheduleType = ScheduleType.fromWireName(typeName);
    Long interval =
        scheduleType == ScheduleType.INTERVAL && node.has("interval_seconds")
            ? integer(node.get("interval_seconds"), Schedule.intervalRange())
            : null;
    String cron = null;
    if (scheduleType == ScheduleType.CRON) {
      cron = string(node.get("cron"), CronExpression.FIELD);
    }
    String zone = string(node.get("time_zone"), TimeZones.FIELD);
    return Schedule.of(typeName, interval, cron, zone);
  }

  /** An integer, null for JSON null; anything else is the field's range message. */
  private static Long integer(JsonNode node, String rangeMessage) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new InvalidScheduleException(fieldOf(rangeMessage), rangeMessage);
    }
    return node.longValue();
  }

  private static String string(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      if (field.equals(TimeZones.FIELD)) {
        throw TimeZones.invalid();
      }
      throw new InvalidScheduleException(
          field,
          field + " must be a string of 5 fields: minute hour day-of-month month day-of-week");
    }
    return node.stringValue();
  }

  private static String fieldOf(String message) {
    return message.substring(0, message.indexOf(' '));
  }
}
