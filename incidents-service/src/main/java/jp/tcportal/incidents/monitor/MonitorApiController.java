package jp.tcportal.incidents.monitor;

import java.security.Principal;
import java.util.UUID;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.paging.PageLimit;
import jp.tcportal.incidents.web.InvalidRequestException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** One monitor, its runs, and enabling or disabling it (admins), as JSON. */
@RestController
class MonitorApiController {

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

  /** Admins only (see the security configuration). */
  @PatchMapping("/api/v1/monitors/{id}")
  MonitorView change(
      @PathVariable UUID id, @RequestBody MonitorChange change, Principal principal) {
    if (change.enabled() == null) {
      throw new InvalidRequestException("enabled is required and must be a boolean");
    }
    return MonitorView.of(monitors.setEnabled(id, change.enabled(), principal.getName()));
  }

  /** The body of a PATCH: only {@code enabled} can be changed. */
  record MonitorChange(Boolean enabled) {}
}
