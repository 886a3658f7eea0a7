package jp.tcportal.processor.ingest;

import java.util.Comparator;
import jp.tcportal.schema.event.RunReported;

/**
 * A monitor's identity as the spec's unique index sees it: {@code (task_key, kind,
 * COALESCE(machine_name, ''))}. Sorting by it gives every transaction the same lock order.
 */
record MonitorKey(String taskKey, String kind, String machineKey)
    implements Comparable<MonitorKey> {

  private static final Comparator<MonitorKey> ORDER =
      Comparator.comparing(MonitorKey::taskKey)
          .thenComparing(MonitorKey::kind)
          .thenComparing(MonitorKey::machineKey);

  static MonitorKey of(RunReported event) {
    return new MonitorKey(
        event.taskKey(),
        event.kind().wireName(),
        event.machineName() == null ? "" : event.machineName());
  }

  @Override
  public int compareTo(MonitorKey other) {
    return ORDER.compare(this, other);
  }
}
