package jp.tcportal.incidents.monitor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.schedule.MonitorSchedule;
import jp.tcportal.schema.schedule.Schedule;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code task_monitors} as the processor wrote it. Read-only here: the only writes this
 * service makes ({@code enabled}, the schedule settings) are targeted UPDATEs in {@link
 * MonitorRepository}, so a concurrent processor upsert of the {@code last_*} columns is never
 * overwritten.
 */
@Entity
@Immutable
@Table(name = "task_monitors")
public class TaskMonitor {

  @Id private UUID id;

  @Column(name = "task_key")
  private String taskKey;

  @Column(name = "task_name")
  private String taskName;

  private String kind;

  @Column(name = "machine_name")
  private String machineName;

  private boolean enabled;

  @Column(name = "last_status")
  private String lastStatus;

  @Column(name = "last_started_at")
  private Instant lastStartedAt;

  @Column(name = "last_finished_at")
  private Instant lastFinishedAt;

  @Column(name = "last_exit_code")
  private Integer lastExitCode;

  @Column(name = "last_message")
  private String lastMessage;

  @Column(name = "last_log_url")
  private String lastLogUrl;

  @Column(name = "last_occurred_at")
  private Instant lastOccurredAt;

  @Column(name = "last_duration_ms")
  private Integer lastDurationMs;

  @Column(name = "failure_streak")
  private int failureStreak;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Column(name = "schedule_type")
  private String scheduleType;

  @Column(name = "schedule_interval_seconds")
  private Integer scheduleIntervalSeconds;

  @Column(name = "schedule_cron")
  private String scheduleCron;

  @Column(name = "schedule_time_zone")
  private String scheduleTimeZone;

  @Column(name = "grace_seconds")
  private int graceSeconds;

  @Column(name = "max_runtime_seconds")
  private Integer maxRuntimeSeconds;

  @Column(name = "failure_threshold")
  private int failureThreshold;

  @Column(name = "recovery_threshold")
  private int recoveryThreshold;

  protected TaskMonitor() {}

  public UUID getId() {
    return id;
  }

  public String getTaskKey() {
    return taskKey;
  }

  public String getTaskName() {
    return taskName;
  }

  public String getKind() {
    return kind;
  }

  public String getMachineName() {
    return machineName;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public String getLastStatus() {
    return lastStatus;
  }

  public Instant getLastStartedAt() {
    return lastStartedAt;
  }

  public Instant getLastFinishedAt() {
    return lastFinishedAt;
  }

  public Integer getLastExitCode() {
    return lastExitCode;
  }

  public String getLastMessage() {
    return lastMessage;
  }

  public String getLastLogUrl() {
    return lastLogUrl;
  }

  public Instant getLastOccurredAt() {
    return lastOccurredAt;
  }

  public Integer getLastDurationMs() {
    return lastDurationMs;
  }

  public int getFailureStreak() {
    return failureStreak;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  /**
   * The schedule settings as stored (issue 13). The table's check constraint holds the same ranges,
   * so a stored row always validates.
   */
  public MonitorSchedule getSettings() {
    Schedule schedule =
        Schedule.of(
            scheduleType,
            scheduleIntervalSeconds == null ? null : scheduleIntervalSeconds.longValue(),
            scheduleCron,
            scheduleTimeZone);
    return MonitorSchedule.of(
        schedule,
        (long) graceSeconds,
        maxRuntimeSeconds == null ? null : maxRuntimeSeconds.longValue(),
        (long) failureThreshold,
        (long) recoveryThreshold);
  }

  /** Failed and enabled: what the badge counts (spec 7.2) and what the list shows first. */
  public boolean isFailing() {
    return "failed".equals(lastStatus) && enabled;
  }

  /** The time shown as 最終実行: when it finished, else when it started (spec 7.1). */
  public Instant getLastRunAt() {
    return lastFinishedAt != null ? lastFinishedAt : lastStartedAt;
  }
}
