package jp.tcportal.incidents.monitor;

import jp.tcportal.schema.schedule.MonitorSchedule;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The monitor page's settings form, as typed. It becomes the API's PATCH body, so the form and the
 * API validate one way and answer with the same messages. A blank number means the default (for the
 * max runtime: no limit); text that is not an integer reaches the validation as text, which answers
 * with the field's range.
 */
record SettingsForm(
    String type,
    String intervalSeconds,
    String cron,
    String timeZone,
    String graceSeconds,
    String maxRuntimeSeconds,
    String failureThreshold,
    String recoveryThreshold) {

  /** The saved settings, as the form shows them. */
  static SettingsForm of(MonitorSchedule settings) {
    return new SettingsForm(
        settings.schedule().type().wireName(),
        text(settings.schedule().intervalSeconds()),
        settings.schedule().cronText(),
        settings.schedule().timeZone(),
        text(settings.graceSeconds()),
        text(settings.maxRuntimeSeconds()),
        text(settings.failureThreshold()),
        text(settings.recoveryThreshold()));
  }

  /** The PATCH body with every setting present: the form replaces them all. */
  JsonNode toPatch() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode body = json.objectNode();
    ObjectNode schedule = body.putObject("schedule");
    schedule.put("type", blankToNull(type) == null ? "none" : type.trim());
    schedule.set("interval_seconds", number(intervalSeconds));
    schedule.put("cron", blankToNull(cron));
    schedule.put("time_zone", blankToNull(timeZone));
    body.set(MonitorSchedule.GRACE_FIELD, number(graceSeconds));
    body.set(MonitorSchedule.MAX_RUNTIME_FIELD, number(maxRuntimeSeconds));
    body.set(MonitorSchedule.FAILURE_THRESHOLD_FIELD, number(failureThreshold));
    body.set(MonitorSchedule.RECOVERY_THRESHOLD_FIELD, number(recoveryThreshold));
    return body;
  }

  private static JsonNode number(String value) {
    String text = blankToNull(value);
    if (text == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return JsonNodeFactory.instance.stringNode(text);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String text(Number value) {
    return value == null ? "" : value.toString();
  }
}
