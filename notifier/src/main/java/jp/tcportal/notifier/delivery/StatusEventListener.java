package jp.tcportal.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import jp.tcportal.notifier.channel.ChannelRoute;
import jp.tcportal.notifier.channel.ChannelStore;
import jp.tcportal.notifier.message.NoticeKind;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns each {@code tcportal.monitor-status-changed.v1} event into one ledger row per matching
 * enabled channel, in one transaction, before the container commits the offset (AckMode BATCH:
 * after every record of the poll returned). A crash between the commit and the offset commit
 * redelivers the event, and {@code ON CONFLICT DO NOTHING} makes that a no-op; so every event is
 * recorded exactly once.
 *
 * <p>An unreadable record throws {@link UnreadableEventException}, which the error handler sends to
 * the dead-letter topic at once; any other failure (the database is down) is retried without end by
 * {@link ListenerConfiguration}, so no event is skipped.
 */
@Component
class StatusEventListener {

  static final String ID = "notifier-status";

  private static final Logger log = LoggerFactory.getLogger(StatusEventListener.class);

  private final ChannelStore channels;
  private final DeliveryLedger ledger;
  private final TransactionTemplate transaction;
  private final Counter recorded;
  private final Counter ignored;

  StatusEventListener(
      ChannelStore channels,
      DeliveryLedger ledger,
      TransactionTemplate transaction,
      MeterRegistry meters) {
    this.channels = channels;
    this.ledger = ledger;
    this.transaction = transaction;
    this.recorded =
        Counter.builder("tcportal.notifier.deliveries.recorded")
            .description("Deliveries added to the ledger")
            .register(meters);
    this.ignored =
        Counter.builder("tcportal.notifier.events.ignored")
            .description("Status events that call for no notice (a success after a success)")
            .register(meters);
  }

  @KafkaListener(id = ID, idIsGroup = false, topics = Topics.MONITOR_STATUS_CHANGED_NAME)
  void onEvent(ConsumerRecord<String, byte[]> record) {
    String json = readable(record);
    MonitorStatusChanged event = read(json);
    NoticeKind notice = NoticeKind.of(event);
    if (notice == null) {
      ignored.increment();
      return;
    }
    int added =
        transaction.execute(
            status -> {
              if (!ledger.monitorEnabled(event.monitorId())) {
                return 0; // A disabled monitor sends nothing.
              }
              Instant openedAt =
                  notice == NoticeKind.OPENED
                      ? event.occurredAt()
                      : ledger.openedAt(event.monitorId(), event.occurredAt());
              int rows = 0;
              for (ChannelRoute route : channels.enabledRoutes()) {
                if (route.filter().matches(event)
                    && ledger.record(
                        event.eventId(), route.id(), event.monitorId(), json, notice, openedAt)) {
                  rows++;
                }
              }
              return rows;
            });
    recorded.increment(added);
    log.debug("Event {} ({}) recorded for {} channel(s)", event.eventId(), notice, added);
  }

  private static String readable(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      throw new UnreadableEventException("record has no value", null);
    }
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  private static MonitorStatusChanged read(String json) {
    MonitorStatusChanged event;
    try {
      event = EventJson.mapper().readValue(json, MonitorStatusChanged.class);
    } catch (RuntimeException e) {
      throw new UnreadableEventException("not a MonitorStatusChanged event: " + e.getMessage(), e);
    }
    if (event.eventId() == null
        || event.monitorId() == null
        || event.status() == null
        || event.taskKey() == null
        || event.kind() == null
        || event.occurredAt() == null) {
      throw new UnreadableEventException(
          "event lacks event_id, monitor_id, task_key, kind, status or occurred_at", null);
    }
    return event;
  }
}
