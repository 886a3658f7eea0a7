package jp.tcportal.reliability;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clients did, in Jepsen's sense of a history: every report sent (by its {@code
 * Idempotency-Key}), every report the gateway acknowledged with 200, every report whose client saw
 * an attempt fail, and every report whose client gave up and spooled it for its next run.
 */
final class Ledger {

  /** One run's report: the key it is sent with on every attempt, and the exact body. */
  record Report(UUID key, String body) {}

  private final Map<UUID, Report> sent = new ConcurrentHashMap<>();
  private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<UUID> sawFailure = ConcurrentHashMap.newKeySet();
  private final Set<UUID> spooled = ConcurrentHashMap.newKeySet();
  private final Set<UUID> everSpooled = ConcurrentHashMap.newKeySet();
  private final Map<UUID, String> refused = new ConcurrentHashMap<>();

  void sent(Report report) {
    sent.put(report.key(), report);
  }

  void acknowledged(UUID key) {
    acknowledged.add(key);
  }

  void attemptFailed(UUID key) {
    sawFailure.add(key);
  }

  void spooled(UUID key) {
    spooled.add(key);
    everSpooled.add(key);
  }

  /** An answer the client never retries (400, 401, 413, 415): the load itself is wrong. */
  void refused(UUID key, String answer) {
    refused.put(key, answer);
  }

  /** Takes the spool for the clients' next run: the reports are sent again with the same keys. */
  Set<Report> takeSpool() {
    Set<Report> reports = ConcurrentHashMap.newKeySet();
    for (UUID key : Set.copyOf(spooled)) {
      spooled.remove(key);
      reports.add(sent.get(key));
    }
    return reports;
  }

  java.util.Collection<Report> sentReports() {
    return Collections.unmodifiableCollection(sent.values());
  }

  Set<UUID> sentKeys() {
    return Collections.unmodifiableSet(sent.keySet());
  }

  Set<UUID> acknowledgedKeys() {
    return Collections.unmodifiableSet(acknowledged);
  }

  Set<UUID> sawFailureKeys() {
    return Collections.unmodifiableSet(sawFailure);
  }

  Set<UUID> everSpooledKeys() {
    return Collections.unmodifiableSet(everSpooled);
  }

  Map<UUID, String> refused() {
    return Collections.unmodifiableMap(refused);
  }
}
