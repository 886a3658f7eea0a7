package jp.tcportal.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import jp.tcportal.notifier.NotifierSettings;
import jp.tcportal.notifier.channel.Channel;
import jp.tcportal.notifier.channel.ChannelStore;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.message.Notice;
import jp.tcportal.notifier.send.ChannelSender;
import jp.tcportal.notifier.send.Outbound;
import jp.tcportal.notifier.send.SendOutcome;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.secret.SecretUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends from the ledger: each pass claims due deliveries (at most one per monitor and channel, the
 * oldest; see {@link DeliveryLedger#claim}), sends them side by side, and writes down each outcome.
 * Several notifier instances may run: claims never overlap.
 */
@Component
class DeliveryWorker implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int ERROR_KEPT = 1000;

  private final DeliveryLedger ledger;
  private final ChannelStore channels;
  private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
  private final NotifierSettings settings;
  private final DeliveryMetrics metrics;
  private final RetryPolicy retries;
  private final ExecutorService pool;
  private final Clock clock = Clock.systemUTC();
  private final ChannelPacer pacer = new ChannelPacer();

  DeliveryWorker(
      DeliveryLedger ledger,
      ChannelStore channels,
      List<ChannelSender> senders,
      NotifierSettings settings,
      DeliveryMetrics metrics) {
    this.ledger = ledger;
    this.channels = channels;
    senders.forEach(sender -> this.senders.put(sender.type(), sender));
    this.settings = settings;
    this.metrics = metrics;
    this.retries = new RetryPolicy(settings, ThreadLocalRandom.current());
    this.pool = Executors.newFixedThreadPool(settings.senderThreads(), namedThreads());
  }

  @Scheduled(
      fixedDelayString = "${tcportal.notifier.poll-interval:1s}",
      initialDelayString = "${tcportal.notifier.poll-interval:1s}")
  void pass() {
    try {
      int handled;
      do {
        handled = sendDue();
      } while (handled == settings.batchSize());
      metrics.queue(ledger.queueState());
      metrics.passSucceeded();
    } catch (RuntimeException e) {
      metrics.passFailed(e);
      log.warn("Delivery pass failed, the next pass tries again: {}", e.toString());
    }
  }

  /** Claims one batch and sends it; returns how many deliveries were claimed. */
  int sendDue() {
    List<ClaimedDelivery> claimed = ledger.claim(settings.batchSize(), settings.claimLease());
    List<Future<?>> sending = new ArrayList<>(claimed.size());
    for (ClaimedDelivery delivery : claimed) {
      sending.add(pool.submit(() -> deliver(delivery)));
    }
    for (Future<?> future : sending) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return claimed.size();
      } catch (java.util.concurrent.ExecutionException e) {
        // deliver() records its own failures; a failure to record leaves the lease to expire.
        log.warn("Recording a delivery outcome failed; it will be tried again", e.getCause());
      }
    }
    return claimed.size();
  }

  private void deliver(ClaimedDelivery delivery) {
    Optional<Channel> channel;
    try {
      channel = channels.openEnabled(delivery.channelId());
    } catch (SecretUnreadableException e) {
      // Most likely this notifier has another TC_PORTAL_ENCRYPTION_KEY than the incidents
      // service: an operator can fix that, so the delivery waits (and shows why) instead of dying.
      retryOrGiveUp(delivery, null, "channel secret unreadable: " + e.getMessage(), null);
      return;
    }
    if (channel.isEmpty()) {
      return; // Disabled or deleted meanwhile; the row waits (or went with the channel).
    }
    if (!awaitSlot(delivery, channel.get())) {
      return;
    }
    ChannelSender sender = senders.get(channel.get().type());
    MonitorStatusChanged event =
        EventJson.mapper().readValue(delivery.eventJson(), MonitorStatusChanged.class);
    Notice notice =
        new Notice(
            delivery.notice(),
            event,
            delivery.incidentOpenedAt(),
            Notice.monitorUrl(settings.publicUrl(), event));
    SendOutcome outcome = sender.send(channel.get(), new Outbound(notice, delivery.eventJson()));
    record(delivery, channel.get(), outcome);
  }

  private void record(ClaimedDelivery delivery, Channel channel, SendOutcome outcome) {
    ChannelType type = channel.type();
    switch (outcome.result()) {
      case SENT -> {
        ledger.sent(delivery.id());
        metrics.outcome(type, "sent");
      }
      case RETRY -> retryOrGiveUp(delivery, channel, outcome.detail(), outcome.retryAfter());
      case REJECTED -> {
        ledger.dead(delivery.id(), shorten(outcome.detail()));
        metrics.outcome(type, "rejected");
        log.warn("Delivery {} to {} was rejected: {}", delivery.id(), channel, outcome.detail());
      }
      case DISABLE -> {
        channels.disable(channel.id(), shorten(outcome.detail()));
        ledger.dead(delivery.id(), shorten(outcome.detail()));
        metrics.outcome(type, "channel_disabled");
        log.warn("Channel {} disabled: {}", channel, outcome.detail());
      }
    }
  }

  /**
   * Waits for the channel's next send slot (Slack and Teams limits). A slot further away than half
   * the lease is not waited for: the delivery goes back to the ledger for then, its attempt not
   * counted, so a long flood never outlives its claim and gets sent twice.
   */
  private boolean awaitSlot(ClaimedDelivery delivery, Channel channel) {
    Duration spacing =
        switch (channel.type()) {
          case SLACK -> spacing(settings.slackPerSecond());
          case TEAMS -> spacing(settings.teamsPerSecond());
          case WEBHOOK, EMAIL -> Duration.ZERO;
        };
    if (spacing.isZero()) {
      return true;
    }
    Instant now = clock.instant();
    Instant slot = pacer.reserve(channel.id(), spacing, now);
    Duration wait = Duration.between(now, slot);
    if (wait.compareTo(settings.claimLease().dividedBy(2)) > 0) {
      ledger.postpone(delivery.id(), slot);
      return false;
    }
    if (!wait.isZero()) {
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false; // Shutting down: the lease expires and another pass sends it.
      }
    }
    return true;
  }

  private static Duration spacing(double perSecond) {
    return Duration.ofNanos((long) (1_000_000_000L / perSecond));
  }

  /** Schedules the next attempt, or ends the delivery once it has failed for give-up-after. */
  private void retryOrGiveUp(
      ClaimedDelivery delivery, Channel channel, String detail, Duration retryAfter) {
    ChannelType type = channel == null ? null : channel.type();
    Instant next = clock.instant().plus(retries.delay(delivery.attempts(), retryAfter));
    if (next.isAfter(delivery.createdAt().plus(settings.giveUpAfter()))) {
      ledger.dead(
          delivery.id(), shorten(detail + " (gave up after " + delivery.attempts() + " attempts)"));
      metrics.outcome(type, "dead");
      log.warn("Delivery {} to {} is dead: {}", delivery.id(), channel, detail);
    } else {
      ledger.retryAt(delivery.id(), next, shorten(detail));
      metrics.outcome(type, "retry");
    }
  }

  private static String shorten(String text) {
    return text == null || text.length() <= ERROR_KEPT ? text : text.substring(0, ERROR_KEPT);
  }

  private static java.util.concurrent.ThreadFactory namedThreads() {
    java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "notifier-send-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }
}
