package jp.tcportal.processor.monitor;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.Repository;

/** Reads stored runs. */
public interface TaskMonitorRuns extends Repository<TaskMonitorRun, UUID> {

  Optional<TaskMonitorRun> findByReportId(UUID reportId);

  List<TaskMonitorRun> findByMonitorId(UUID monitorId);
}
