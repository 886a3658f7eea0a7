package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of reports, {@link #PER_SECOND} a second over {@link #MONITORS} monitors, each
 * with its own {@code Idempotency-Key}, as many Windows jobs finishing at their own times would
 * send them. Each report names its key in its {@code message}, so the audit can find a second run
 * of one report even if it had been stored under another {@code report_id}.
 */
final class LoadGenerator implements AutoCloseable {

  static final int PER_SECOND = 100;
  static final int MONITORS = 300;
  static final String MARKER = "reliability report ";
  private static final long TICK_MILLIS = 20;
  private static final Instant FIRST_RUN = Instant.parse("2026-01-22T00:00:00Z");

  private final ReportClient client;
  private final Ledger ledger;
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private double owed;

  LoadGenerator(ReportClient client, Ledger ledger) {
    this.client = client;
    this.ledger = ledger;
  }

  void start() {
    ticks.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops making new reports; the ones being delivered go on until acknowledged or spooled. */
  void stop() {
    ticks.shutdown();
    try {
      ticks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every delivery run has ended (acknowledged, refused or spooled). */
  void awaitSettled(Duration patience) {
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> client.inFlight() == 0);
  }

  /** The clients' next run: every spooled report is sent again, same key, same body. */
  int resendSpool() {
    var spool = ledger.takeSpool();
    spool.forEach(client::deliver);
    return spool.size();
  }

  private void tick() {
    owed += PER_SECOND * TICK_MILLIS / 1000.0;
    while (owed >= 1) {
      owed--;
      Ledger.Report report = nextReport();
      ledger.sent(report);
      client.deliver(report);
    }
  }

  private Ledger.Report nextReport() {
    long number = sequence.getAndIncrement();
    UUID key = UUID.randomUUID();
    int monitor = (int) (number % MONITORS);
    boolean failed = number % 7 == 0;
    Instant finished = FIRST_RUN.plusSeconds(number);
    long durationMs = 1000 * (1 + number % 60);
    String body =
        """
        {"task_key":"reliability_task_%d","task_name":"信頼性テスト %d","kind":"%s",\
        "status":"%s","started_at":"%s","finished_at":"%s","duration_ms":%d,"exit_code":%d,\
        "message":"%s%s","machine_name":"PC-%02d"}"""
            .formatted(
                monitor % (MONITORS / 2),
                monitor,
                monitor < MONITORS / 2 ? "bat" : "python",
                failed ? "failed" : "success",
                finished.minusMillis(durationMs),
                finished,
                durationMs,
                failed ? 1 : 0,
                MARKER,
                key,
                monitor % 10);
    return new Ledger.Report(key, body);
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
