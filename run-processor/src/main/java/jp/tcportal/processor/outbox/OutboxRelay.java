package jp.tcportal.processor.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import jp.tcportal.processor.ProcessorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once Kafka acknowledged them.
 *
 * <p>Only one relay works at a time across all replicas ({@code pg_try_advisory_xact_lock}), so one
 * monitor's events reach its partition in the order they were written. Delivery is at least once: a
 * crash after the acknowledgement and before the delete publishes a page again, and consumers
 * recognise repeats by {@code event_id}.
 */
@Component
class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final KafkaTemplate<Object, Object> kafka;
  private final ProcessorSettings settings;
  private final Counter relayed;
  private final AtomicLong backlog = new AtomicLong();
  private volatile ThreadPoolTaskScheduler scheduler;

  OutboxRelay(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      KafkaTemplate<Object, Object> kafka,
      ProcessorSettings settings,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.kafka = kafka;
    this.settings = settings;
    this.relayed =
        Counter.builder("tcportal.processor.outbox.relayed")
            .description("Status events published from the outbox")
            .register(meters);
    Gauge.builder("tcportal.processor.outbox.backlog", backlog, AtomicLong::get)
        .description("Status events waiting in the outbox after the last relay run")
        .register(meters);
  }

  /** Publishes everything that is waiting, page by page; returns how many events went out. */
  int relayWaiting() {
    int total = 0;
    int page;
    do {
      page = relayPage();
      total += page;
    } while (page == settings.relayBatchSize());
    backlog.set(jdbc.queryForObject("SELECT count(*) FROM tcportal_event_outbox", Long.class));
    return total;
  }

  private int relayPage() {
    Integer published =
        transactions.execute(
            status -> {
              Boolean mine =
                  jdbc.queryForObject(
                      "SELECT pg_try_advisory_xact_lock(?)",
                      Boolean.class,
                      StatusOutbox.RELAY_LOCK);
              if (!Boolean.TRUE.equals(mine)) {
                return 0; // another replica is relaying
              }
              List<OutboxRow> rows =
                  jdbc.query(
                      "SELECT id, topic, event_key, payload::text FROM tcportal_event_outbox"
                          + " ORDER BY id LIMIT ?",
                      (rs, n) ->
                          new OutboxRow(
                              rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                      settings.relayBatchSize());
              if (rows.isEmpty()) {
                return 0;
              }
              publish(rows);
              Long[] ids = rows.stream().map(OutboxRow::id).toArray(Long[]::new);
              jdbc.update(
                  "DELETE FROM tcportal_event_outbox WHERE id = ANY(?)",
                  ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids)));
              return rows.size();
            });
    int count = published == null ? 0 : published;
    relayed.increment(count);
    return count;
  }

  /** Sends in id order on one idempotent producer and waits for every acknowledgement. */
  private void publish(List<OutboxRow> rows) {
    List<CompletableFuture<SendResult<Object, Object>>> sends = new ArrayList<>(rows.size());
    for (OutboxRow row : rows) {
      sends.add(kafka.send(row.topic(), row.key(), row.payload().getBytes(StandardCharsets.UTF_8)));
    }
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(settings.relaySendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while relaying the outbox", e);
    } catch (ExecutionException | TimeoutException e) {
      // The transaction rolls back: the rows stay and the next run publishes them again.
      throw new IllegalStateException("Kafka did not acknowledge the status events", e);
    }
  }

  private void relayQuietly() {
    try {
      relayWaiting();
    } catch (RuntimeException e) {
      log.warn("Outbox relay failed, will retry: {}", e.toString());
    }
  }

  @Override
  public void start() {
    ThreadPoolTaskScheduler started = new ThreadPoolTaskScheduler();
    started.setThreadNamePrefix("outbox-relay-");
    started.setPoolSize(1);
    // Let a page in flight finish (and delete its rows) rather than interrupt it on shutdown.
    started.setWaitForTasksToCompleteOnShutdown(true);
    started.setAwaitTerminationSeconds((int) settings.relaySendTimeout().toSeconds() + 5);
    started.initialize();
    started.scheduleWithFixedDelay(this::relayQuietly, settings.relayInterval());
    scheduler = started;
  }

  @Override
  public void stop() {
    ThreadPoolTaskScheduler running = scheduler;
    scheduler = null;
    if (running != null) {
      running.shutdown();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }

  private record OutboxRow(long id, String topic, String key, String payload) {}
}
