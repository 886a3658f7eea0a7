package jp.tcportal.incidents.monitor;

import java.util.UUID;
import jp.tcportal.incidents.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Finding a monitor and enabling or disabling it, shared by the page and the API. */
@Service
public class Monitors {

  private static final Logger log = LoggerFactory.getLogger(Monitors.class);

  private final MonitorRepository repository;

  Monitors(MonitorRepository repository) {
    this.repository = repository;
  }

  public TaskMonitor get(UUID id) {
    return repository.findById(id).orElseThrow(() -> new NotFoundException("Monitor not found"));
  }

  /** Sets {@code enabled}; a disabled failing monitor no longer counts in the badge. */
  public TaskMonitor setEnabled(UUID id, boolean enabled, String who) {
    get(id);
    if (repository.updateEnabled(id, enabled) > 0) {
      log.info("Monitor {} {} by {}", id, enabled ? "enabled" : "disabled", who);
    }
    return get(id);
  }
}
