package jp.tcportal.benchmarks;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A small HTTP load generator on Reactor Netty's client, the same for the bare ceiling and for the
 * gateway so that the two figures are comparable.
 *
 * <p>Closed model: {@code concurrency} requests always in flight (saturation throughput). Open
 * model: requests start at a constant rate whatever the server does, and each latency is measured
 * from the moment the request was due, not from when it was sent, so a stalled server shows up in
 * the percentiles instead of silently slowing the generator (coordinated omission).
 */
final class HttpLoad implements AutoCloseable {

  /** What one phase measured. */
  record Result(long ok, long failed, double seconds, Latencies latencies) {
    double okPerSecond() {
      return ok / seconds;
    }
  }

  /** Told about every answered request of the open model, e.g. to follow it through the stack. */
  interface Answered {
    void answered(long sequence, int status, long answeredAtNanos);
  }

  private final ConnectionProvider connections;
  private final HttpClient client;

  HttpLoad(String baseUrl, int maxConnections, Map<String, String> headers) {
    connections =
        ConnectionProvider.builder("benchmark")
            .maxConnections(maxConnections)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(60))
            .build();
    client =
        HttpClient.create(connections)
            .baseUrl(baseUrl)
            .responseTimeout(Duration.ofSeconds(30))
            .headers(
                h -> {
                  h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
                  headers.forEach(h::set);
                });
  }

  Mono<Integer> post(String path, String body) {
    return client
        .post()
        .uri(path)
        .send(
            Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
        .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
        .onErrorReturn(-1);
  }

  /** Saturation: keeps {@code concurrency} requests in flight; counts only the measured window. */
  Result closed(
      String path,
      LongFunction<String> bodies,
      int concurrency,
      Duration warmup,
      Duration measure) {
    AtomicLong sequence = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Latencies latencies = new Latencies();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureUntil = measureFrom + measure.toNanos();
    Flux.range(0, Integer.MAX_VALUE)
        .flatMap(
            ignored -> {
              long sent = System.nanoTime();
              return post(path, bodies.apply(sequence.getAndIncrement()))
                  .doOnNext(
                      status -> {
                        long now = System.nanoTime();
                        if (now >= measureFrom && now < measureUntil) {
                          latencies.record(now - sent);
                          (status == 200 ? ok : failed).incrementAndGet();
                        }
                      });
            },
            concurrency)
        .take(Duration.ofNanos(measureUntil - start))
        .blockLast(Duration.ofNanos(measureUntil - start).plusSeconds(60));
    return new Result(ok.get(), failed.get(), measure.toNanos() / 1e9, latencies);
  }

  /** Constant rate: request {@code i} is due at {@code start + i / rate}, sent or not. */
  Result open(
      String path,
      LongFunction<String> bodies,
      int ratePerSecond,
      Duration warmup,
      Duration measure,
      Answered answered) {
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    Latencies latencies = new Latencies();
    long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    for (long i = 0; ; i++) {
      long due = start + i * period;
      if (due >= end) {
        break;
      }
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      long sequence = i;
      inFlight.incrementAndGet();
      post(path, bodies.apply(sequence))
          .subscribe(
              status -> {
                long now = System.nanoTime();
                if (due >= measureFrom) {
                  latencies.record(now - due);
                  (status == 200 ? ok : failed).incrementAndGet();
                }
                inFlight.decrementAndGet();
                answered.answered(sequence, status, now);
              });
    }
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return new Result(ok.get(), failed.get(), measure.toNanos() / 1e9, latencies);
  }

  @Override
  public void close() {
    connections.dispose();
  }
}
