package jp.tcportal.notifier;

import java.time.Instant;
import java.util.UUID;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.report.Kind;
import jp.tcportal.schema.report.RunStatus;

/** Status events as the processor writes them, for tests. */
public final class Events {

  private Events() {}

  public static MonitorStatusChanged failed(
      String taskKey, String machine, int streak, int exitCode, String message, Instant at) {
    return event(
        taskKey,
        machine,
        streak == 1 ? RunStatus.SUCCESS : RunStatus.FAILED,
        RunStatus.FAILED,
        streak,
        exitCode,
        message,
        at);
  }

  public static MonitorStatusChanged resolved(String taskKey, String machine, Instant at) {
    return event(taskKey, machine, RunStatus.FAILED, RunStatus.SUCCESS, 0, 0, "ok", at);
  }

  public static MonitorStatusChanged event(
      String taskKey,
      String machine,
      RunStatus previous,
      RunStatus status,
      int streak,
      Integer exitCode,
      String message,
      Instant at) {
    return new MonitorStatusChanged(
        MonitorStatusChanged.SCHEMA_VERSION,
        UUID.randomUUID(),
        monitorId(taskKey, machine),
        taskKey,
        "ナイトリー取込 " + taskKey,
        Kind.PYTHON,
        machine,
        previous,
        status,
        streak,
        UUID.randomUUID(),
        at,
        exitCode,
        message);
  }

  public static UUID monitorId(String taskKey, String machine) {
    return MonitorIdentity.monitorId(taskKey, Kind.PYTHON, machine);
  }
}
