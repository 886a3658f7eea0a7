package jp.tcportal.processor.monitor;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/** Reads monitors by their identity, the spec's unique index. */
public interface TaskMonitors extends Repository<TaskMonitor, UUID> {

  @Query(
      """
      select m from TaskMonitor m
      where m.taskKey = :taskKey and m.kind = :kind
        and coalesce(m.machineName, '') = coalesce(:machineName, '')
      """)
  Optional<TaskMonitor> findByIdentity(String taskKey, String kind, String machineName);

  long count();
}
