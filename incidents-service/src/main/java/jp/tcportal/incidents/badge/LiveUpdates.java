package jp.tcportal.incidents.badge;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.monitor.MonitorRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events fed by one cheap poll. While at least one browser listens, a single thread
 * reads the {@link ChangeMarker} every poll interval and pushes it to every stream when it moved;
 * the browsers then refresh what they show. The cost is two index probes per interval for the whole
 * service, however many people watch, and the service needs no Kafka to do it.
 */
@Component
class LiveUpdates {

  static final String EVENT_NAME = "change";

  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  private final MonitorRepository monitors;
  private final IncidentsSettings.Live settings;
  private final List<SseEmitter> streams = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "live-updates");
            thread.setDaemon(true);
            return thread;
          });

  private volatile ChangeMarker lastSent;
  private volatile long lastSentAtNanos = System.nanoTime();

  LiveUpdates(MonitorRepository monitors, IncidentsSettings settings) {
    this.monitors = monitors;
    this.settings = settings.live();
    long interval = this.settings.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollSafely, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** Opens a stream that starts with the current marker, so a reconnecting page catches up. */
  SseEmitter open() {
    SseEmitter stream = new SseEmitter(settings.streamTimeout().toMillis());
    ChangeMarker current = read();
    try {
      stream.send(event(current));
    } catch (IOException e) {
      stream.completeWithError(e);
      return stream;
    }
    stream.onCompletion(() -> streams.remove(stream));
    stream.onTimeout(() -> streams.remove(stream));
    stream.onError(error -> streams.remove(stream));
    streams.add(stream);
    return stream;
  }

  int openStreams() {
    return streams.size();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // The database may be briefly unavailable; the next tick tries again.
      log.warn("Live update poll failed: {}", e.getMessage());
    }
  }

  void poll() {
    if (streams.isEmpty()) {
      lastSent = null;
      return;
    }
    ChangeMarker current = read();
    if (!current.equals(lastSent)) {
      lastSent = current;
      broadcast(event(current));
    } else if (System.nanoTime() - lastSentAtNanos > settings.heartbeat().toNanos()) {
      broadcast(SseEmitter.event().comment("keep-alive"));
    }
  }

  private ChangeMarker read() {
    return ChangeMarker.of(monitors.countFailing(), monitors.lastUpdatedAt().orElse(null));
  }

  private void broadcast(SseEmitter.SseEventBuilder event) {
    lastSentAtNanos = System.nanoTime();
    for (SseEmitter stream : streams) {
      try {
        stream.send(event);
      } catch (IOException | IllegalStateException e) {
        // The browser went away; forget the stream.
        streams.remove(stream);
      }
    }
  }

  private static SseEmitter.SseEventBuilder event(ChangeMarker marker) {
    return SseEmitter.event().name(EVENT_NAME).data(marker, MediaType.APPLICATION_JSON);
  }

  /**
   * Ends every stream as soon as the context starts closing: a graceful shutdown waits for open
   * requests, and a live stream never ends by itself, so without this every stop (a deploy, a
   * restart) would wait the whole shutdown timeout for the browsers' streams. The pages reconnect.
   */
  @EventListener(ContextClosedEvent.class)
  void stop() {
    poller.shutdownNow();
    streams.forEach(SseEmitter::complete);
  }
}
