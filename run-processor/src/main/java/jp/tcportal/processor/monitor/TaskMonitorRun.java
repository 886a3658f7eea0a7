package jp.tcportal.processor.monitor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code task_monitor_runs}: one reported run, stored once per {@code report_id}.
 *
 * <p>Read-only for Hibernate, like {@link TaskMonitor}: runs are inserted in bulk by the ingest
 * package.
 */
@Entity
@Immutable
@Table(name = "task_monitor_runs")
public class TaskMonitorRun {

  @Id private UUID id;

  @Column(name = "monitor_id", nullable = false)
  private UUID monitorId;

  @Column(name = "status", nullable = false)
  private String status;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "duration_ms")
  private Integer durationMs;

  @Column(name = "exit_code")
  private Integer exitCode;

  @Column(name = "message")
  private String message;

  @Column(name = "log_url")
  private String logUrl;

  /** The report body exactly as the client sent it, as JSON text. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "raw")
  private String raw;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "report_id")
  private UUID reportId;

  @Column(name = "received_at")
  private Instant receivedAt;

  protected TaskMonitorRun() {}

  public UUID id() {
    return id;
  }

  public UUID monitorId() {
    return monitorId;
  }

  public String status() {
    return status;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Integer durationMs() {
    return durationMs;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public String message() {
    return message;
  }

  public String logUrl() {
    return logUrl;
  }

  public String raw() {
    return raw;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public UUID reportId() {
    return reportId;
  }

  public Instant receivedAt() {
    return receivedAt;
  }
}
