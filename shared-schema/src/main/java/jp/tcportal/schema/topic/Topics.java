package jp.tcportal.schema.topic;

import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;

/**
 * Every topic of TC Portal Monitor. Keys are monitor ids, so one monitor's events stay in order.
 */
public final class Topics {

  /** Reports accepted by the gateway. */
  public static final Topic<RunReported> RUN_REPORTED =
      new Topic<>("tcportal.run-reported.v1", "monitor_id (UUID string)", RunReported.class);

  /**
   * Records of {@link #RUN_REPORTED} the processor could not read or accept; the original bytes,
   * with the reason in the {@code kafka_dlt-exception-*} headers.
   */
  public static final Topic<byte[]> RUN_REPORTED_DEAD_LETTER =
      new Topic<>("tcportal.run-reported.v1.dlt", "the original record's key", byte[].class);

  /** A monitor's status changed or its failure streak grew. */
  public static final Topic<MonitorStatusChanged> MONITOR_STATUS_CHANGED =
      new Topic<>(
          "tcportal.monitor-status-changed.v1",
          "monitor_id (UUID string)",
          MonitorStatusChanged.class);

  /**
   * Records of {@link #MONITOR_STATUS_CHANGED} the notifier could not read; the original bytes,
   * with the reason in the {@code kafka_dlt-exception-*} headers.
   */
  public static final Topic<byte[]> MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER =
      new Topic<>(
          "tcportal.monitor-status-changed.v1.notifier.dlt",
          "the original record's key",
          byte[].class);

  private Topics() {}
}
