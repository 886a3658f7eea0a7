package jp.tcportal.processor.monitor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code task_monitors}: the latest state of one (task_key, kind, machine_name).
 *
 * <p>Read-only for Hibernate: reports are applied with set-based SQL ({@link MonitorStateRules}
 * decides, the ingest package writes), and {@code ddl-auto=validate} checks every column here
 * against the Liquibase schema at start-up.
 */
@Entity
@Immutable
@Table(name = "task_monitors")
public class TaskMonitor {

  @Id private UUID id;

  @Column(name = "task_key", nullable = false)
  private String taskKey;

  @Column(name = "task_name", nullable = false)
  private String taskName;

  @Column(name = "kind", nullable = false)
  private String kind;

  @Column(name = "machine_name")
  private String machineName;

  @Column(name = "enabled", nullable = false)
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

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "last_occurred_at")
  private Instant lastOccurredAt;

  @Column(name = "last_duration_ms")
  private Integer lastDurationMs;

  @Column(name = "last_report_id")
  private UUID lastReportId;

  @Column(name = "failure_streak", nullable = false)
  private int failureStreak;

  protected TaskMonitor() {}

  public UUID id() {
    return id;
  }

  public String taskKey() {
    return taskKey;
  }

  public String taskName() {
    return taskName;
  }

  public String kind() {
    return kind;
  }

  public String machineName() {
    return machineName;
  }

  public boolean enabled() {
    return enabled;
  }

  public String lastStatus() {
    return lastStatus;
  }

  public Instant lastStartedAt() {
    return lastStartedAt;
  }

  public Instant lastFinishedAt() {
    return lastFinishedAt;
  }

  public Integer lastExitCode() {
    return lastExitCode;
  }

  public String lastMessage() {
    return lastMessage;
  }

  public String lastLogUrl() {
    return lastLogUrl;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public Instant lastOccurredAt() {
    return lastOccurredAt;
  }

  public Integer lastDurationMs() {
    return lastDurationMs;
  }

  public UUID lastReportId() {
    return lastReportId;
  }

  public int failureStreak() {
    return failureStreak;
  }
}
