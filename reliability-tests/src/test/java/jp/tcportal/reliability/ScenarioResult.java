package jp.tcportal.reliability;

import java.time.Duration;
import java.util.Locale;

/**
 * One row of the reliability table: the clients' history against what was stored.
 *
 * @param sent reports generated, each with its own key
 * @param acknowledged reports the gateway answered 200
 * @param retried reports whose client saw at least one attempt fail (503, reset, timeout...)
 * @param spooled reports whose client gave up after its retries and spooled them
 * @param recovered spooled reports that were stored anyway before the client's next run re-sent
 *     them (Jepsen's "recovered": the client saw a failure, the write happened)
 * @param unacknowledged reports never acknowledged, even by the spool's re-send
 * @param refused reports answered with a status a client never retries (must be 0)
 * @param stored reports found in {@code task_monitor_runs}
 * @param lost acknowledged but not stored (must be 0)
 * @param duplicated stored more than once (must be 0)
 * @param unexpected stored but never sent, or stored with another report's body (must be 0)
 * @param deadLettered records the processor sent to the dead-letter topic
 * @param recovery from the fault's end until the backlog present then was committed
 * @param notes what the fault did
 */
record ScenarioResult(
    String scenario,
    int sent,
    int acknowledged,
    int retried,
    int spooled,
    int recovered,
    int unacknowledged,
    int refused,
    int stored,
    int lost,
    int duplicated,
    int unexpected,
    long deadLettered,
    Duration recovery,
    Duration elapsed,
    String notes) {

  static final String HEADER =
      "| scenario | sent | acked | retried | spooled | recovered | unacked | stored | lost |"
          + " duplicated | unexpected | dead-lettered | backlog empty after fault (s) |"
          + " scenario time (s) | notes |\n"
          + "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|";

  String row() {
    return "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |"
        .formatted(
            scenario,
            sent,
            acknowledged,
            retried,
            spooled,
            recovered,
            unacknowledged,
            stored,
            lost,
            duplicated,
            unexpected,
            deadLettered,
            seconds(recovery),
            seconds(elapsed),
            notes);
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }
}
