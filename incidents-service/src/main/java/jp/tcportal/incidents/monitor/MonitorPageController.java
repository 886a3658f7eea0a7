package jp.tcportal.incidents.monitor;

import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.paging.PageLimit;
import jp.tcportal.schema.schedule.InvalidScheduleException;
import jp.tcportal.schema.schedule.MonitorSchedule;
import jp.tcportal.schema.schedule.MonitorScheduleJson;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The {@code /monitors/{id}} page: state, run history, the admin's enable/disable form and the
 * schedule settings form with a preview of the next expected runs.
 */
@Controller
class MonitorPageController {

  /** How many expected runs the settings preview lists. */
  static final int PREVIEW_COUNT = 5;

  private final Monitors monitors;
  private final RunHistory history;
  private final IncidentsSettings settings;
  private final Clock clock;

  MonitorPageController(
      Monitors monitors, RunHistory history, IncidentsSettings settings, Clock clock) {
    this.monitors = monitors;
    this.history = history;
    this.settings = settings;
    this.clock = clock;
  }

  @GetMapping("/monitors/{id}")
  String monitor(
      @PathVariable UUID id,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit,
      Model model) {
    TaskMonitor monitor = fill(model, id, before, limit);
    fillSettings(model, monitor, SettingsForm.of(monitor.getSettings()));
    return "monitor";
  }

  /** State and history only, for the live update of the first page. */
  @GetMapping("/monitors/{id}/live")
  String live(@PathVariable UUID id, Model model) {
    fill(model, id, null, null);
    return "monitor :: live";
  }

  /** Admins only (see the security configuration). */
  @PostMapping("/monitors/{id}/enabled")
  String setEnabled(
      @PathVariable UUID id,
      @RequestParam boolean enabled,
      Principal principal,
      RedirectAttributes redirect) {
    monitors.setEnabled(id, enabled, principal.getName());
    redirect.addFlashAttribute(
        "notice", enabled ? "monitor.enabledNotice" : "monitor.disabledNotice");
    return "redirect:/monitors/" + id;
  }

  /**
   * Admins only (see the security configuration). Validated exactly as the API's PATCH; a bad value
   * renders the page again with 400, the typed values and the message beside its field.
   */
  @PostMapping("/monitors/{id}/settings")
  String saveSettings(
      @PathVariable UUID id,
      @ModelAttribute SettingsForm form,
      Principal principal,
      Model model,
      RedirectAttributes redirect,
      HttpServletResponse response) {
    TaskMonitor monitor = monitors.get(id);
    MonitorSchedule changed;
    try {
      changed = MonitorScheduleJson.applyPatch(monitor.getSettings(), form.toPatch());
    } catch (InvalidScheduleException e) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      model.addAttribute("settingsError", new SettingsError(e.field(), e.getMessage()));
      fill(model, id, null, null);
      fillSettings(model, monitor, form);
      return "monitor";
    }
    monitors.setSettings(id, changed, principal.getName());
    redirect.addFlashAttribute("notice", "monitor.settings.savedNotice");
    return "redirect:/monitors/" + id;
  }

  private TaskMonitor fill(Model model, UUID id, String before, Integer limit) {
    TaskMonitor monitor = monitors.get(id);
    model.addAttribute("monitor", monitor);
    model.addAttribute("before", before);
    model.addAttribute("runs", history.page(id, before, PageLimit.resolve(limit, settings)));
    return monitor;
  }

  /** The form's values and the preview, which always shows the saved settings. */
  private void fillSettings(Model model, TaskMonitor monitor, SettingsForm form) {
    MonitorSchedule saved = monitor.getSettings();
    // An interval lattice is anchored at the last run's start until arming is built (issue 13).
    Instant anchor = monitor.getLastStartedAt();
    List<ExpectedRunView> preview =
        saved.schedule().previewNext(anchor, clock.instant(), PREVIEW_COUNT).stream()
            .map(ExpectedRunView::of)
            .toList();
    model.addAttribute("settingsForm", form);
    model.addAttribute("savedSettings", saved);
    model.addAttribute("preview", preview);
  }

  /**
   * A refused setting.
   *
   * @param field the JSON path, e.g. {@code grace_seconds} or {@code schedule.cron}
   */
  record SettingsError(String field, String message) {}
}
