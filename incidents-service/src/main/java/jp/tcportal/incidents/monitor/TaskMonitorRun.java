package jp.tcportal.incidents.monitor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** A row of {@code task_monitor_runs}: one reported run. The raw payload is not read here. */
@Entity
@Immutable
@Table(name = "task_monitor_runs")
public class TaskMonitorRun {

  @Id private UUID id;

  @Column(name = "monitor_id")
  private UUID monitorId;

  private String status;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "duration_ms")
  private Integer durationMs;

  @Column(name = "exit_code")
  private Integer exitCode;

  private String message;

  @Column(name = "log_url")
  private String logUrl;

  @Column(name = "report_id")
  private UUID reportId;

  @Column(name = "received_at")
  private Instant receivedAt;

  @Column(name = "created_at")
  private Instant createdAt;

  protected TaskMonitorRun() {}

  public UUID getId() {
    return id;
  }

  public UUID getMonitorId() {
    return monitorId;
  }

  public String getStatus() {
    return status;
  }

  public Instant getStartedAt() {
    return startedAt;
  }

  public Instant getFinishedAt() {
    return finishedAt;
  }

  public Integer getDurationMs() {
    return durationMs;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public String getMessage() {
    return message;
  }

  public String getLogUrl() {
    return logUrl;
  }

  public UUID getReportId() {
    return reportId;
  }

  public Instant getReceivedAt() {
    return receivedAt;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
