package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One fault under load, from a fresh topology to its table row: start everything, send steadily,
 * let the test inject its fault and say when it ended, measure how long the backlog took to drain,
 * then settle the clients, re-send their spool as their next run would, and audit the database.
 */
final class Scenario implements AutoCloseable {

  private static final Duration SETTLE_PATIENCE = Duration.ofSeconds(120);

  private final String name;
  private final Instant started;
  private final Topology topology;
  private final Ledger ledger = new Ledger();
  private final ReportClient client;
  private final LoadGenerator load;
  private final Backlog backlog;
  private final Database database;
  private Instant faultEnded;

  private Scenario(String name, Instant started, Topology topology) {
    this.name = name;
    this.started = started;
    this.topology = topology;
    this.client = new ReportClient(topology.reportUri(), ledger);
    this.load = new LoadGenerator(client, ledger);
    this.backlog = new Backlog(topology.kafka().admin());
    this.database = new Database(topology.postgres().jdbcUrl());
  }

  /** A fresh topology in {@code target/reliability/<slug>}, with the load flowing through it. */
  static Scenario start(String name, String slug, int brokers) {
    Path directory = workDirectory().resolve(slug);
    deleteRecursively(directory);
    Instant started = Instant.now();
    Scenario scenario = new Scenario(name, started, Topology.start(directory, brokers));
    scenario.load.start();
    scenario.awaitStoring();
    return scenario;
  }

  /** Waits until the processor stores runs it had not stored before this call. */
  void awaitStoring() {
    AtomicLong before = new AtomicLong(-1);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              long runs = database.runCount();
              if (before.get() < 0) {
                before.set(runs);
              }
              return runs > before.get() + 50;
            });
  }

  /** Marks the end of the fault: the moment the crashed component was started again. */
  void faultEnded() {
    faultEnded = Instant.now();
  }

  /** Drains, settles, re-sends the spool, audits; {@code notes} describe what the fault did. */
  ScenarioResult finish(String notes) throws Exception {
    if (faultEnded == null) {
      throw new IllegalStateException("The scenario never said when its fault ended");
    }
    Duration recovery = backlog.awaitDrained(faultEnded, Duration.ofSeconds(180));
    load.stop();
    load.awaitSettled(SETTLE_PATIENCE);
    awaitQuiet();
    // Spooled reports already stored were written although their client saw only failures.
    int recovered = database.storedAmong(ledger.everSpooledKeys());
    int spooled = ledger.everSpooledKeys().size();
    load.resendSpool();
    load.awaitSettled(SETTLE_PATIENCE);
    awaitQuiet();
    Database.Audit audit = database.audit(ledger);
    ledger.refused().values().stream()
        .limit(5)
        .forEach(answer -> System.out.println("refused: " + answer));
    int sent = ledger.sentKeys().size();
    int acknowledged = ledger.acknowledgedKeys().size();
    return new ScenarioResult(
        name,
        sent,
        acknowledged,
        ledger.sawFailureKeys().size(),
        spooled,
        recovered,
        sent - acknowledged,
        ledger.refused().size(),
        audit.stored(),
        audit.lost(),
        audit.duplicated(),
        audit.unexpected(),
        backlog.deadLettered(),
        recovery,
        Duration.between(started, Instant.now()),
        notes);
  }

  /** Consumer lag 0 and the number of runs unchanged between two reads half a second apart. */
  private void awaitQuiet() {
    AtomicLong previous = new AtomicLong(-1);
    await()
        .atMost(SETTLE_PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              long runs = database.runCount();
              boolean stable = backlog.lag() == 0 && runs == previous.get();
              previous.set(runs);
              return stable;
            });
  }

  Topology topology() {
    return topology;
  }

  Ledger ledger() {
    return ledger;
  }

  Database database() {
    return database;
  }

  @Override
  public void close() {
    load.close();
    client.close();
    topology.close();
  }

  static Path workDirectory() {
    return Path.of(System.getProperty("tcportal.reliability.work-dir", "target/reliability"))
        .toAbsolutePath();
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not clear " + directory, e);
    }
  }
}
