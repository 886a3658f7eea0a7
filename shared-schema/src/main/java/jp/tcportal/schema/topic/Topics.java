package jp.tcportal.schema.topic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of TC Portal Monitor. Keys are monitor ids, so one monitor's events stay in order.
 * The names are also compile-time constants, for annotations such as {@code @KafkaListener}.
 */
public final class Topics {

  public static final String RUN_REPORTED_NAME = "tcportal.run-reported.v1";
  public static final String RUN_REPORTED_DEAD_LETTER_NAME = "tcportal.run-reported.v1.dlt";
  public static final String MONITOR_STATUS_CHANGED_NAME = "tcportal.monitor-status-changed.v1";
  public static final String MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER_NAME =
      "tcportal.monitor-status-changed.v1.notifier.dlt";

  /**
   * Largest record of {@link #RUN_REPORTED}, and the gateway producer's {@code max.request.size}:
   * an event carries the report's fields and the original body (up to 1 MiB) as {@code raw}, so it
   * may be larger than the broker's 1 MiB default.
   */
  public static final int RUN_REPORTED_MAX_MESSAGE_BYTES = 3 * 1024 * 1024;

  /**
   * Largest record of {@link #RUN_REPORTED_DEAD_LETTER}, and the processor producer's {@code
   * max.request.size}: any record of the run topic plus the reason and stack-trace headers. With
   * Kafka's 1 MiB default a refused record near 1 MiB could never be dead-lettered.
   */
  public static final int DEAD_LETTER_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** Reports accepted by the gateway. */
  public static final Topic<RunReported> RUN_REPORTED =
      new Topic<>(
          RUN_REPORTED_NAME,
          "monitor_id (UUID string)",
          RunReported.class,
          maxMessageBytes(RUN_REPORTED_MAX_MESSAGE_BYTES));

  /**
   * Records of {@link #RUN_REPORTED} the processor could not read or accept; the original bytes,
   * with the reason in the {@code kafka_dlt-exception-*} headers.
   */
  public static final Topic<byte[]> RUN_REPORTED_DEAD_LETTER =
      new Topic<>(
          RUN_REPORTED_DEAD_LETTER_NAME,
          "the original record's key",
          byte[].class,
          maxMessageBytes(DEAD_LETTER_MAX_MESSAGE_BYTES));

  /** A monitor's status changed or its failure streak grew. Small records: broker defaults. */
  public static final Topic<MonitorStatusChanged> MONITOR_STATUS_CHANGED =
      new Topic<>(
          MONITOR_STATUS_CHANGED_NAME,
          "monitor_id (UUID string)",
          MonitorStatusChanged.class,
          Map.of());

  /**
   * Records of {@link #MONITOR_STATUS_CHANGED} the notifier could not read; the original bytes,
   * with the reason in the {@code kafka_dlt-exception-*} headers. Small records: broker defaults.
   */
  public static final Topic<byte[]> MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER =
      new Topic<>(
          MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER_NAME,
          "the original record's key",
          byte[].class,
          Map.of());

  /** The whole catalogue. */
  public static final List<Topic<?>> ALL =
      List.of(
          RUN_REPORTED,
          RUN_REPORTED_DEAD_LETTER,
          MONITOR_STATUS_CHANGED,
          MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER);

  /** The catalogue's topic of that name, if there is one. */
  public static Optional<Topic<?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  private static Map<String, String> maxMessageBytes(int bytes) {
    return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(bytes));
  }

  private Topics() {}
}
