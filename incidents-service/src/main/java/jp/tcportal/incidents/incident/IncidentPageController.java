package jp.tcportal.incidents.incident;

import jakarta.servlet.http.HttpServletRequest;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.monitor.TaskMonitor;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.paging.PageLimit;
import jp.tcportal.incidents.web.Links;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The {@code /incidents} page (spec 7.1) and the table body that live updates swap in. */
@Controller
class IncidentPageController {

  private final IncidentQuery incidents;
  private final IncidentsSettings settings;

  IncidentPageController(IncidentQuery incidents, IncidentsSettings settings) {
    this.incidents = incidents;
    this.settings = settings;
  }

  @GetMapping("/")
  String home() {
    return "redirect:/incidents";
  }

  @GetMapping("/incidents")
  String incidents(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String machine,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit,
      HttpServletRequest request,
      Model model) {
    fill(model, new IncidentFilter(status, kind, machine, q), before, limit, request);
    return "incidents";
  }

  /** Only the rows, for the live update; the same parameters as the page. */
  @GetMapping("/incidents/rows")
  String rows(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String machine,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit,
      HttpServletRequest request,
      Model model) {
    fill(model, new IncidentFilter(status, kind, machine, q), before, limit, request);
    return "incidents :: rows";
  }

  private void fill(
      Model model,
      IncidentFilter filter,
      String before,
      Integer limit,
      HttpServletRequest request) {
    KeysetPage<TaskMonitor> page =
        incidents.page(filter, before, PageLimit.resolve(limit, settings));
    model.addAttribute("filter", filter);
    model.addAttribute("before", before);
    model.addAttribute("page", page);
    // Only the first page follows live updates; a later page would shift under the reader.
    model.addAttribute(
        "rowsUrl",
        before == null ? Links.withParam(request, "/incidents/rows", "before", null) : null);
    model.addAttribute("firstUrl", Links.withParam(request, "/incidents", "before", null));
    model.addAttribute(
        "nextUrl",
        page.nextCursor() == null
            ? null
            : Links.withParam(request, "/incidents", "before", page.nextCursor()));
  }
}
