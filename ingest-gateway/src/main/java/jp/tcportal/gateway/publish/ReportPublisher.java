package jp.tcportal.gateway.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.publish.ReportNotQueuedException.Kind;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a {@link RunReported} keyed by its monitor id and completes when the broker
 * acknowledged it ({@code acks=all}, idempotent producer, see {@code application.yaml}).
 *
 * <p>{@code KafkaProducer.send} blocks its caller while the topic's metadata is unknown (up to
 * {@code max.block.ms}), so it is never called on a Netty event loop: a small bounded pool hands
 * the records over. When that pool's queue is full, or a report waited in it longer than the
 * producer would block, the report is refused at once rather than sent after its client gave up.
 */
@Component
public class ReportPublisher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ReportPublisher.class);

  private final KafkaTemplate<String, RunReported> template;
  private final ThreadPoolExecutor handOff;
  private final long queueTimeoutNanos;
  private final Timer published;
  private final Timer failed;

  public ReportPublisher(
      KafkaTemplate<String, RunReported> template, GatewaySettings settings, MeterRegistry meters) {
    this.template = template;
    this.handOff = handOffPool(settings.publishThreads(), settings.publishQueueCapacity());
    this.queueTimeoutNanos = settings.publishQueueTimeout().toNanos();
    this.published = publishTimer(meters, "acknowledged");
    this.failed = publishTimer(meters, "failed");
  }

  /** Completes empty once the broker has the event; fails with {@link ReportNotQueuedException}. */
  public Mono<Void> publish(RunReported event) {
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          ProducerRecord<String, RunReported> record =
              new ProducerRecord<>(Topics.RUN_REPORTED.name(), event.monitorId().toString(), event);
          CompletableFuture<SendResult<String, RunReported>> acknowledged;
          try {
            acknowledged =
                CompletableFuture.supplyAsync(() -> sendIfStillWanted(record, start), handOff)
                    .thenCompose(sent -> sent);
          } catch (RejectedExecutionException e) {
            failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return Mono.error(
                new ReportNotQueuedException("The publish queue is full", Kind.RETRY_LATER, e));
          }
          return Mono.fromFuture(acknowledged, true)
              // The acknowledgement arrives on the producer's one network thread; the rest of the
              // request (the answer's JSON, metrics) must not run there, or that thread becomes
              // the gateway's ceiling and delays every other acknowledgement.
              .publishOn(Schedulers.parallel())
              .doOnSuccess(
                  result -> published.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
              .doOnError(error -> failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
              .onErrorMap(ReportPublisher::notQueued)
              .then();
        });
  }

  private CompletableFuture<SendResult<String, RunReported>> sendIfStillWanted(
      ProducerRecord<String, RunReported> record, long enqueuedAt) {
    if (System.nanoTime() - enqueuedAt > queueTimeoutNanos) {
      // Its client is about to get a 503; sending now would queue a report nobody waits for.
      throw new ReportNotQueuedException(
          "Waited too long for a publish thread", Kind.RETRY_LATER, null);
    }
    return template.send(record);
  }

  private static Throwable notQueued(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ReportNotQueuedException notQueued) {
      return notQueued;
    }
    return new ReportNotQueuedException(
        "The broker did not acknowledge the report", kindOf(cause), cause);
  }

  /**
   * Whether retrying can help. A record too large for the producer or the topic, or one that cannot
   * be serialized, fails the same way every time: answering 503 would make the client retry it for
   * ever (and block its spool), so these are the client's 4xx. Kafka marks transient failures as
   * {@link RetriableException} (timeouts, a full buffer, no leader); anything else is the gateway's
   * or the cluster's fault and needs an operator.
   */
  static Kind kindOf(Throwable failure) {
    boolean retryable = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return Kind.TOO_LARGE;
      }
      if (t instanceof SerializationException || t instanceof InvalidRecordException) {
        return Kind.UNPROCESSABLE;
      }
      retryable |= t instanceof RetriableException;
    }
    return retryable ? Kind.RETRY_LATER : Kind.GATEWAY_FAULT;
  }

  private static Timer publishTimer(MeterRegistry meters, String outcome) {
    return Timer.builder("tcportal.reports.publish")
        .description("Time from handing a report to the producer until the broker answered")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(meters);
  }

  private static ThreadPoolExecutor handOffPool(int threads, int queueCapacity) {
    AtomicInteger number = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        task -> {
          Thread thread = new Thread(task, "report-publish-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Fetches the topic's metadata once the service is up, on a publish thread, so the first client
   * does not pay for it and a missing broker shows in the log at start-up.
   */
  @EventListener(ApplicationReadyEvent.class)
  void warmUp() {
    handOff.execute(
        () -> {
          try {
            template.partitionsFor(Topics.RUN_REPORTED.name());
          } catch (RuntimeException e) {
            log.warn(
                "Could not read the metadata of {} yet; reports get 503 until the broker answers: {}",
                Topics.RUN_REPORTED.name(),
                e.getMessage());
          }
        });
  }

  @Override
  public void destroy() throws InterruptedException {
    handOff.shutdown();
    handOff.awaitTermination(5, TimeUnit.SECONDS);
  }
}
