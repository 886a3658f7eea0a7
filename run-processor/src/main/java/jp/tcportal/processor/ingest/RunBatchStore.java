package jp.tcportal.processor.ingest;

import java.io.StringWriter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import jp.tcportal.processor.ProcessorSettings;
import jp.tcportal.processor.monitor.MonitorState;
import jp.tcportal.processor.monitor.MonitorStateRules;
import jp.tcportal.processor.outbox.StatusOutbox;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.RunStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores a batch of accepted events in one transaction: monitors, runs, latest state and status
 * events commit together or not at all.
 *
 * <p>The hot path is set-based SQL (one statement per step, whatever the batch size), which keeps a
 * 500-record batch to a handful of round trips:
 *
 * <ol>
 *   <li>lock the batch's monitors ({@code FOR UPDATE}, in id order so concurrent batches never
 *       deadlock), creating the missing ones first with {@code ON CONFLICT DO NOTHING} on the
 *       spec's unique index;
 *   <li>insert the runs with {@code ON CONFLICT (report_id) DO NOTHING RETURNING report_id}: only a
 *       report stored for the first time moves state, so a redelivered or retried one is a no-op;
 *   <li>fold the new reports per monitor ({@link MonitorStateRules}) and update each changed
 *       monitor;
 *   <li>append the status events to the outbox.
 * </ol>
 *
 * Reading the state under the row lock and writing it in the same transaction is what keeps two
 * consumers (say, during a rebalance) from both reading the old state and overwriting each other.
 */
@Component
class RunBatchStore {

  private static final String LOCK_MONITORS =
      """
      SELECT m.id, m.task_key, m.kind, COALESCE(m.machine_name, ''), m.task_name,
             m.last_status, m.last_occurred_at, m.failure_streak,
             COALESCE(m.last_received_at, m.updated_at)
      FROM task_monitors m
      JOIN unnest(?::text[], ?::text[], ?::text[]) AS k(task_key, kind, machine_key)
        ON m.task_key = k.task_key AND m.kind = k.kind
       AND COALESCE(m.machine_name, '') = k.machine_key
      ORDER BY m.id
      FOR UPDATE OF m
      """;

  private static final String INSERT_MONITORS =
      """
      INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name)
      SELECT n.id, n.task_key, n.task_name, n.kind, n.machine_name
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[])
        AS n(id, task_key, task_name, kind, machine_name)
      ORDER BY n.task_key, n.kind, COALESCE(n.machine_name, '')
      ON CONFLICT (task_key, kind, (COALESCE(machine_name, ''))) DO NOTHING
      """;

  /**
   * The runs arrive as one JSON array (not one array literal per column): {@code raw} is then
   * already JSON inside it, so neither Java nor PostgreSQL serialises, escapes and re-parses each
   * body on its way into the JSONB column, which was the largest cost of a batch. A batch of large
   * bodies is split at {@link #MAX_CHARS_PER_INSERT}.
   */
  private static final String INSERT_RUNS =
      """
      INSERT INTO task_monitor_runs (monitor_id, status, started_at, finished_at, duration_ms,
                                     exit_code, message, log_url, raw, report_id, received_at,
                                     body_digest, assumed_time_zone)
      SELECT r.monitor_id, r.status, r.started_at, r.finished_at, r.duration_ms, r.exit_code,
             r.message, r.log_url, r.raw, r.report_id, r.received_at, r.body_digest,
             r.assumed_time_zone
      FROM jsonb_to_recordset(?::jsonb)
        AS r(monitor_id uuid, status text, started_at timestamptz, finished_at timestamptz,
             duration_ms int4, exit_code int4, message text, log_url text, raw jsonb,
             report_id uuid, received_at timestamptz, body_digest text, assumed_time_zone text)
      ON CONFLICT (report_id) DO NOTHING
      RETURNING report_id
      """;

  private static final String UPDATE_MONITORS =
      """
      UPDATE task_monitors AS m SET
        task_name = u.task_name,
        last_status = u.status,
        last_started_at = u.started_at::timestamptz,
        last_finished_at = u.finished_at::timestamptz,
        last_exit_code = u.exit_code,
        last_message = u.message,
        last_log_url = u.log_url,
        last_duration_ms = u.duration_ms,
        last_report_id = u.report_id,
        last_occurred_at = u.occurred_at::timestamptz,
        failure_streak = u.failure_streak,
        last_received_at = u.received_at::timestamptz,
        updated_at = now()
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[],
                  ?::text[], ?::int4[], ?::uuid[], ?::text[], ?::int4[], ?::text[])
        AS u(id, task_name, status, started_at, finished_at, exit_code, message, log_url,
             duration_ms, report_id, occurred_at, failure_streak, received_at)
      WHERE m.id = u.id
      """;

  /** Far below JSONB's 256 MB, and small enough for the processor's heap to hold twice. */
  static final int MAX_CHARS_PER_INSERT = 16 * 1024 * 1024;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final StatusOutbox outbox;
  private final Duration futureTolerance;

  RunBatchStore(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      StatusOutbox outbox,
      ProcessorSettings settings) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.outbox = outbox;
    this.futureTolerance = settings.futureInstantTolerance();
  }

  /**
   * Stores the events in one new transaction; throws (and stores nothing) if any step fails.
   *
   * @param events in arrival (offset) order, which breaks ties between equal instants
   */
  Stored store(List<RunReported> events) {
    if (events.isEmpty()) {
      return new Stored(0, 0);
    }
    return transactions.execute(status -> storeInTransaction(events));
  }

  private Stored storeInTransaction(List<RunReported> events) {
    // One candidate per (report_id, digest): a retry or redelivery inside the batch is the same
    // run.
    Map<List<Object>, RunReported> distinct = new LinkedHashMap<>();
    for (RunReported event : events) {
      distinct.putIfAbsent(Arrays.asList(event.reportId(), event.bodyDigest()), event);
    }
    // The first of each report_id tries its own id; the others are judged after it is stored.
    Map<UUID, RunReported> firsts = new LinkedHashMap<>();
    for (RunReported event : distinct.values()) {
      firsts.putIfAbsent(event.reportId(), event);
    }
    TreeMap<MonitorKey, List<RunReported>> byMonitor = new TreeMap<>();
    for (RunReported event : distinct.values()) {
      byMonitor.computeIfAbsent(MonitorKey.of(event), key -> new ArrayList<>()).add(event);
    }

    Map<MonitorKey, MonitorState> states = lockMonitors(byMonitor.keySet());
    if (states.size() < byMonitor.size()) {
      List<List<RunReported>> missing =
          byMonitor.entrySet().stream()
              .filter(entry -> !states.containsKey(entry.getKey()))
              .map(Map.Entry::getValue)
              .toList();
      insertMonitors(missing);
      Set<MonitorKey> missingKeys = new HashSet<>(byMonitor.keySet());
      missingKeys.removeAll(states.keySet());
      states.putAll(lockMonitors(missingKeys));
    }

    Set<UUID> inserted = insertRuns(firsts.values(), states);
    List<RunReported> unsettled =
        distinct.values().stream()
            .filter(
                event ->
                    firsts.get(event.reportId()) != event || !inserted.contains(event.reportId()))
            .toList();
    Map<RunReported, RunReported> rekeyed = insertConflicts(unsettled, states);

    // What was stored, in the batch's (Kafka's) order: the state rules break ties by arrival.
    Map<MonitorKey, List<RunReported>> freshByMonitor = new TreeMap<>();
    for (RunReported event : distinct.values()) {
      RunReported stored =
          firsts.get(event.reportId()) == event && inserted.contains(event.reportId())
              ? event
              : rekeyed.get(event);
      if (stored != null) {
        freshByMonitor.computeIfAbsent(MonitorKey.of(stored), key -> new ArrayList<>()).add(stored);
      }
    }
    List<MonitorStateRules.Outcome> moved = new ArrayList<>();
    List<MonitorStatusChanged> changes = new ArrayList<>();
    freshByMonitor.forEach(
        (key, fresh) -> {
          MonitorStateRules.Outcome outcome =
              MonitorStateRules.apply(states.get(key), fresh, futureTolerance);
          if (outcome.moved()) {
            moved.add(outcome);
          }
          changes.addAll(outcome.changes());
        });
    updateMonitors(moved);
    outbox.append(changes);
    int runs = freshByMonitor.values().stream().mapToInt(List::size).sum();
    return new Stored(runs, events.size() - runs, rekeyed.size());
  }

  /**
   * Reports whose report_id is taken by a stored run with a different digest are different runs
   * under one reused Idempotency-Key (the gateway answers 409 when it remembers the key; after a
   * restart or on another instance it cannot): they are stored under a derived id instead of being
   * dropped. The digest compared is the one stored (in an earlier batch or just now), so a retry of
   * the stored run stays a no-op whatever else the batch holds; so does a report whose stored run
   * predates digests.
   *
   * @return each report stored under its derived id, by the report as received
   */
  private Map<RunReported, RunReported> insertConflicts(
      List<RunReported> reports, Map<MonitorKey, MonitorState> states) {
    List<RunReported> candidates =
        reports.stream().filter(report -> report.bodyDigest() != null).toList();
    if (candidates.isEmpty()) {
      return Map.of();
    }
    Map<UUID, String> storedDigests = new HashMap<>();
    jdbc.query(
        "SELECT report_id, body_digest FROM task_monitor_runs WHERE report_id = ANY(?)",
        ps ->
            ps.setArray(
                1,
                array(
                    ps.getConnection(),
                    "uuid",
                    candidates.stream()
                        .map(RunReported::reportId)
                        .distinct()
                        .toArray(UUID[]::new))),
        rs -> {
          storedDigests.put(rs.getObject(1, UUID.class), rs.getString(2));
        });
    // By identity: records hash their whole raw body, and each received report is its own key.
    Map<RunReported, RunReported> rekeyed = new IdentityHashMap<>();
    for (RunReported report : candidates) {
      String stored = storedDigests.get(report.reportId());
      if (stored != null && !stored.equals(report.bodyDigest())) {
        rekeyed.put(report, IdempotencyConflicts.rekeyed(report));
      }
    }
    if (rekeyed.isEmpty()) {
      return Map.of();
    }
    Set<UUID> insertedNow = insertRuns(rekeyed.values(), states);
    // A redelivered conflicting report finds its derived id taken: a no-op like any retry.
    rekeyed.values().removeIf(report -> !insertedNow.contains(report.reportId()));
    return rekeyed;
  }

  private Map<MonitorKey, MonitorState> lockMonitors(Set<MonitorKey> keys) {
    Map<MonitorKey, MonitorState> states = new TreeMap<>();
    String[] taskKeys = keys.stream().map(MonitorKey::taskKey).toArray(String[]::new);
    String[] kinds = keys.stream().map(MonitorKey::kind).toArray(String[]::new);
    String[] machines = keys.stream().map(MonitorKey::machineKey).toArray(String[]::new);
    jdbc.query(
        LOCK_MONITORS,
        ps -> {
          Connection c = ps.getConnection();
          ps.setArray(1, array(c, "text", taskKeys));
          ps.setArray(2, array(c, "text", kinds));
          ps.setArray(3, array(c, "text", machines));
        },
        rs -> {
          MonitorKey key = new MonitorKey(rs.getString(2), rs.getString(3), rs.getString(4));
          states.put(
              key,
              new MonitorState(
                  rs.getObject(1, UUID.class),
                  rs.getString(5),
                  RunStatus.fromWireName(rs.getString(6)).orElse(null),
                  instantOrNull(rs.getObject(7, OffsetDateTime.class)),
                  instantOrNull(rs.getObject(9, OffsetDateTime.class)),
                  rs.getInt(8)));
        });
    return states;
  }

  /** New monitors take the event's monitor_id, so their id matches what the gateway answered. */
  private void insertMonitors(List<List<RunReported>> reportsPerMonitor) {
    int n = reportsPerMonitor.size();
    UUID[] ids = new UUID[n];
    String[] taskKeys = new String[n];
    String[] taskNames = new String[n];
    String[] kinds = new String[n];
    String[] machines = new String[n];
    for (int i = 0; i < n; i++) {
      RunReported newest =
          reportsPerMonitor.get(i).stream()
              .max(Comparator.comparing(RunReported::occurredAt))
              .orElseThrow();
      ids[i] = newest.monitorId();
      taskKeys[i] = newest.taskKey();
      taskNames[i] = newest.taskName();
      kinds[i] = newest.kind().wireName();
      machines[i] = newest.machineName();
    }
    jdbc.update(
        INSERT_MONITORS,
        ps -> {
          Connection c = ps.getConnection();
          ps.setArray(1, array(c, "uuid", ids));
          ps.setArray(2, array(c, "text", taskKeys));
          ps.setArray(3, array(c, "text", taskNames));
          ps.setArray(4, array(c, "text", kinds));
          ps.setArray(5, array(c, "text", machines));
        });
  }

  private Set<UUID> insertRuns(
      Collection<RunReported> reports, Map<MonitorKey, MonitorState> states) {
    Set<UUID> inserted = new HashSet<>();
    StringWriter rows = new StringWriter();
    JsonGenerator json = startRows(rows);
    for (RunReported report : reports) {
      json.writeTree(runRow(report, states.get(MonitorKey.of(report)).id()));
      json.flush();
      if (rows.getBuffer().length() >= MAX_CHARS_PER_INSERT) {
        // A batch of large bodies would outgrow what one JSONB value may hold (256 MB).
        insertRows(json, rows, inserted);
        rows = new StringWriter();
        json = startRows(rows);
      }
    }
    insertRows(json, rows, inserted);
    return inserted;
  }

  private static JsonGenerator startRows(StringWriter rows) {
    JsonGenerator json = EventJson.mapper().createGenerator(rows);
    json.writeStartArray();
    return json;
  }

  private void insertRows(JsonGenerator json, StringWriter rows, Set<UUID> inserted) {
    json.writeEndArray();
    json.close();
    String array = rows.toString();
    if (array.equals("[]")) {
      return;
    }
    jdbc.query(
        INSERT_RUNS,
        ps -> ps.setString(1, array),
        rs -> {
          inserted.add(rs.getObject(1, UUID.class));
        });
  }

  private static ObjectNode runRow(RunReported report, UUID monitorId) {
    ObjectNode row = EventJson.mapper().createObjectNode();
    row.put("monitor_id", monitorId.toString());
    row.put("status", report.status().wireName());
    row.put("started_at", text(report.startedAt()));
    row.put("finished_at", text(report.finishedAt()));
    row.put("duration_ms", report.effectiveDurationMs());
    row.put("exit_code", report.exitCode());
    row.put("message", report.message());
    row.put("log_url", report.logUrl());
    // Absent rather than JSON null, so the column is SQL NULL.
    if (report.raw() != null && !report.raw().isNull() && !report.raw().isMissingNode()) {
      row.set("raw", report.raw());
    }
    row.put("report_id", report.reportId().toString());
    row.put("received_at", text(report.receivedAt()));
    row.put("body_digest", report.bodyDigest());
    row.put("assumed_time_zone", report.assumedTimeZone());
    return row;
  }

  private void updateMonitors(List<MonitorStateRules.Outcome> moved) {
    if (moved.isEmpty()) {
      return;
    }
    int n = moved.size();
    UUID[] ids = new UUID[n];
    String[] taskNames = new String[n];
    String[] statuses = new String[n];
    String[] startedAt = new String[n];
    String[] finishedAt = new String[n];
    Integer[] exitCodes = new Integer[n];
    String[] messages = new String[n];
    String[] logUrls = new String[n];
    Integer[] durations = new Integer[n];
    UUID[] reportIds = new UUID[n];
    String[] occurredAt = new String[n];
    Integer[] streaks = new Integer[n];
    String[] receivedAt = new String[n];
    for (int i = 0; i < n; i++) {
      MonitorStateRules.Outcome outcome = moved.get(i);
      RunReported latest = outcome.latest().orElseThrow();
      ids[i] = outcome.state().id();
      taskNames[i] = latest.taskName();
      statuses[i] = latest.status().wireName();
      startedAt[i] = text(latest.startedAt());
      finishedAt[i] = text(latest.finishedAt());
      exitCodes[i] = latest.exitCode();
      messages[i] = latest.message();
      logUrls[i] = latest.logUrl();
      durations[i] = latest.effectiveDurationMs();
      reportIds[i] = latest.reportId();
      // The ordering instant, not the client's: the next report is compared with it.
      occurredAt[i] = text(outcome.state().lastOccurredAt());
      streaks[i] = outcome.state().failureStreak();
      receivedAt[i] = text(latest.receivedAt());
    }
    jdbc.update(
        UPDATE_MONITORS,
        ps -> {
          Connection c = ps.getConnection();
          ps.setArray(1, array(c, "uuid", ids));
          ps.setArray(2, array(c, "text", taskNames));
          ps.setArray(3, array(c, "text", statuses));
          ps.setArray(4, array(c, "text", startedAt));
          ps.setArray(5, array(c, "text", finishedAt));
          ps.setArray(6, array(c, "int4", exitCodes));
          ps.setArray(7, array(c, "text", messages));
          ps.setArray(8, array(c, "text", logUrls));
          ps.setArray(9, array(c, "int4", durations));
          ps.setArray(10, array(c, "uuid", reportIds));
          ps.setArray(11, array(c, "text", occurredAt));
          ps.setArray(12, array(c, "int4", streaks));
          ps.setArray(13, array(c, "text", receivedAt));
        });
  }

  private static Array array(Connection connection, String type, Object[] values)
      throws SQLException {
    return connection.createArrayOf(type, values);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instantOrNull(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }

  /**
   * @param runs runs stored for the first time
   * @param duplicates records whose report was already stored (or repeated within the batch)
   * @param storedUnderDerivedId different runs that arrived under a taken report_id (a reused
   *     Idempotency-Key), stored under a derived one
   */
  record Stored(int runs, int duplicates, int storedUnderDerivedId) {

    Stored(int runs, int duplicates) {
      this(runs, duplicates, 0);
    }
  }
}
