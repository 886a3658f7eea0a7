package jp.tcportal.incidents.monitor;

import java.util.UUID;
import jp.tcportal.incidents.web.NotFoundException;
import jp.tcportal.schema.schedule.MonitorSchedule;
import jp.tcportal.schema.schedule.MonitorScheduleJson;
import jp.tcportal.schema.schedule.Schedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Finding a monitor, enabling or disabling it and storing its schedule settings, shared by the page
 * and the API.
 */
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

  /**
   * Stores validated schedule settings. Read, patch and write are separate statements, so two
   * admins saving the same monitor at the same moment: the last write wins as a whole.
   */
  public TaskMonitor setSettings(UUID id, MonitorSchedule settings, String who) {
    get(id);
    Schedule schedule = settings.schedule();
    int changed =
        repository.updateSettings(
            id,
            schedule.type().wireName(),
            schedule.intervalSeconds() == null ? null : Math.toIntExact(schedule.intervalSeconds()),
            schedule.cronText(),
            schedule.timeZone(),
            Math.toIntExact(settings.graceSeconds()),
            settings.maxRuntimeSeconds() == null
                ? null
                : Math.toIntExact(settings.maxRuntimeSeconds()),
            settings.failureThreshold(),
            settings.recoveryThreshold());
    if (changed > 0) {
      log.info(
          "Monitor {} settings changed by {}: {}", id, who, MonitorScheduleJson.toJson(settings));
    }
    return get(id);
  }
}
