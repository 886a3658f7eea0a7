package jp.tcportal.incidents.incident;

import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.monitor.MonitorView;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.paging.PageLimit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/incidents}: the rows and filters of the incidents page, as JSON. */
@RestController
class IncidentApiController {

  private final IncidentQuery incidents;
  private final IncidentsSettings settings;

  IncidentApiController(IncidentQuery incidents, IncidentsSettings settings) {
    this.incidents = incidents;
    this.settings = settings;
  }

  @GetMapping("/api/v1/incidents")
  KeysetPage<MonitorView> incidents(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String machine,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) Integer limit) {
    IncidentFilter filter = new IncidentFilter(status, kind, machine, q);
    KeysetPage<jp.tcportal.incidents.monitor.TaskMonitor> page =
        incidents.page(filter, before, PageLimit.resolve(limit, settings));
    return new KeysetPage<>(page.items().stream().map(MonitorView::of).toList(), page.nextCursor());
  }
}
