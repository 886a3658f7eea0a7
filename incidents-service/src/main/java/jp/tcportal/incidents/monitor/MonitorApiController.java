package jp.tcportal.incidents.monitor;

import java.security.Principal;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.paging.PageLimit;
import jp.tcportal.incidents.web.InvalidRequestException;
import jp.tcportal.schema.schedule.MonitorSchedule;
import jp.tcportal.schema.schedule.MonitorScheduleJson;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** One monitor, its runs, and enabling, disabling or setting its schedule (admins), as JSON. */
@RestController
class MonitorApiController {

  /** The body's keys that are schedule settings; {@link MonitorScheduleJson} reads them. */
  static final List<String> SETTINGS_FIELDS =
      List.of(
          "schedule",
          MonitorSchedule.GRACE_FIELD,
          MonitorSchedule.MAX_RUNTIME_FIELD,
          MonitorSchedule.FAILURE_THRESHOLD_FIELD,
          MonitorSchedule.RECOVERY_THRESHOLD_FIELD);

  static final String NOTHING_TO_CHANGE =
      "Request body must set enabled (a boolean) or a setting: "
          + String.join(", ", SETTINGS_FIELDS);

  private final Monitors monitors;
  private final RunHistory history;
  private final IncidentsSettings settings;

  MonitorApiController(Monitors monitors, RunHistory history, IncidentsSettings settings) {
    this.monitors = monitors;
    this.history = history;
    this.settings = settings;
  }

  @GetMapping("/api/v1/monitors/{id}")
  MonitorView monitor(@PathVariable UUID id) {
    return MonitorView.of(monitors.get(id));
  }

  @GetMapping("/api/v1/monitors/{id}/runs")
  KeysetPage<RunView> runs(
      @PathVariable UUID id,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit) {
    monitors.get(id);
    KeysetPage<TaskMonitorRun> page = history.page(id, before, PageLimit.resolve(limit, settings));
    return new KeysetPage<>(page.items().stream().map(RunView::of).toList(), page.nextCursor());
  }

  /**
   * Admins only (see the security configuration). Everything is validated before anything is
   * written, so a bad setting leaves {@code enabled} unchanged too.
   */
  @PatchMapping("/api/v1/monitors/{id}")
  MonitorView change(@PathVariable UUID id, @RequestBody JsonNode body, Principal principal) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException(NOTHING_TO_CHANGE);
    }
    TaskMonitor monitor = monitors.get(id);
    Boolean enabled = null;
    if (body.has("enabled")) {
      JsonNode value = body.get("enabled");
      if (!value.isBoolean()) {
        throw new InvalidRequestException("enabled must be a boolean");
      }
      enabled = value.booleanValue();
    }
    MonitorSchedule schedule = null;
    if (SETTINGS_FIELDS.stream().anyMatch(body::has)) {
      schedule = MonitorScheduleJson.applyPatch(monitor.getSettings(), body);
    }
    if (enabled == null && schedule == null) {
      throw new InvalidRequestException(NOTHING_TO_CHANGE);
    }
    if (enabled != null) {
      monitors.setEnabled(id, enabled, principal.getName());
    }
    if (schedule != null) {
      monitors.setSettings(id, schedule, principal.getName());
    }
    return MonitorView.of(monitors.get(id));
  }
}
