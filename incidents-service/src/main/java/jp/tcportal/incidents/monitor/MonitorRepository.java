package jp.tcportal.incidents.monitor;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Reads monitors, counts the failing ones and flips {@code enabled}. */
public interface MonitorRepository extends Repository<TaskMonitor, UUID> {

  Optional<TaskMonitor> findById(UUID id);

  /**
   * The badge (spec 7.2). Written to match the partial index {@code idx_task_monitors_failing}, so
   * PostgreSQL answers it with an index-only scan.
   */
  @Query(
      value = "SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled",
      nativeQuery = true)
  long countFailing();

  /** The change marker for live updates: one probe of {@code idx_task_monitors_updated_at}. */
  @Query(value = "SELECT max(updated_at) FROM task_monitors", nativeQuery = true)
  Optional<Instant> lastUpdatedAt();

  /**
   * Touches only {@code enabled} and {@code updated_at} (the read-mostly role may update nothing
   * else), and only when the value changes, so repeating a request does not move the change marker.
   * The row lock orders it with the processor's upsert; neither overwrites the other's columns.
   */
  @Transactional
  @Modifying
  @Query(
      value =
          "UPDATE task_monitors SET enabled = :enabled, updated_at = now()"
              + " WHERE id = :id AND enabled <> :enabled",
      nativeQuery = true)
  int updateEnabled(@Param("id") UUID id, @Param("enabled") boolean enabled);

  /**
   * Stores the schedule settings (issue 13): only the settings columns and {@code updated_at}, the
   * columns the read-mostly role may update, and only when something changes.
   */
  @Transactional
  @Modifying
  @Query(
      value =
          """
          UPDATE task_monitors SET schedule_type = :type,
            schedule_interval_seconds = :intervalSeconds, schedule_cron = :cron,
            schedule_time_zone = :timeZone, grace_seconds = :graceSeconds,
            max_runtime_seconds = :maxRuntimeSeconds, failure_threshold = :failureThreshold,
            recovery_threshold = :recoveryThreshold, updated_at = now()
          WHERE id = :id
            AND (schedule_type, schedule_interval_seconds, schedule_cron, schedule_time_zone,
                 grace_seconds, max_runtime_seconds, failure_threshold, recovery_threshold)
              IS DISTINCT FROM (CAST(:type AS text), CAST(:intervalSeconds AS int),
                 CAST(:cron AS text), CAST(:timeZone AS text), CAST(:graceSeconds AS int),
                 CAST(:maxRuntimeSeconds AS int), CAST(:failureThreshold AS int),
                 CAST(:recoveryThreshold AS int))
          """,
      nativeQuery = true)
  int updateSettings(
      @Param("id") UUID id,
      @Param("type") String type,
      @Param("intervalSeconds") Integer intervalSeconds,
      @Param("cron") String cron,
      @Param("timeZone") String timeZone,
      @Param("graceSeconds") int graceSeconds,
      @Param("maxRuntimeSeconds") Integer maxRuntimeSeconds,
      @Param("failureThreshold") int failureThreshold,
      @Param("recoveryThreshold") int recoveryThreshold);
}
