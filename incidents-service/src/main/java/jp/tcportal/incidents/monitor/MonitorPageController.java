package jp.tcportal.incidents.monitor;

import java.security.Principal;
import java.util.UUID;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.paging.PageLimit;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The {@code /monitors/{id}} page: state, run history, and the admin's enable/disable form. */
@Controller
class MonitorPageController {

  private final Monitors monitors;
  private final RunHistory history;
  private final IncidentsSettings settings;

  MonitorPageController(Monitors monitors, RunHistory history, IncidentsSettings settings) {
    this.monitors = monitors;
    this.history = history;
    this.settings = settings;
  }

  @GetMapping("/monitors/{id}")
  String monitor(
      @PathVariable UUID id,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit,
      Model model) {
    fill(model, id, before, limit);
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

  private void fill(Model model, UUID id, String before, Integer limit) {
    model.addAttribute("monitor", monitors.get(id));
    model.addAttribute("before", before);
    model.addAttribute("runs", history.page(id, before, PageLimit.resolve(limit, settings)));
  }
}
