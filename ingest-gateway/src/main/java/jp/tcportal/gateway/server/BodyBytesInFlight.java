package jp.tcportal.gateway.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.error.ErrorBody;
import jp.tcportal.schema.event.EventJson;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * One budget of request-body bytes for all requests together ({@link
 * ServerLimits#maxBodyBytesInFlight()}). A request takes its share when its body is first read (so
 * after the endpoint's cheap checks: a caller without a valid secret never takes any), the declared
 * {@code Content-Length} at once and a chunked body as it arrives, and gives it back when its
 * answer is sent. The share covers everything the request builds from its body, the event in the
 * publish queue included, so the heap a burst of large reports can take is bounded by this one
 * number. A request that does not fit gets 503 with {@code Retry-After}: the same report fits
 * later.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodyBytesInFlight implements WebFilter {

  static final String BUSY_MESSAGE = "Too many reports in progress, retry later";
  static final String TOO_SLOW_MESSAGE = "Request body not received in time";

  /** Reports of this size and below may use the whole budget (a normal report is ~1 KB). */
  static final long SMALL_BODY = 64 * 1024;

  private final long budget;
  private final long largeBodyLimit;
  private final AtomicLong taken = new AtomicLong();
  private final String retryAfterSeconds;
  private final Counter refused;
  private final Counter timedOut;

  BodyBytesInFlight(ServerLimits limits, GatewaySettings settings, MeterRegistry meters) {
    this.budget = limits.maxBodyBytesInFlight().toBytes();
    // Large bodies may fill three quarters: clients stalling large bodies cannot starve normal
    // ones.
    this.largeBodyLimit = budget / 4 * 3;
    this.retryAfterSeconds = String.valueOf(Math.max(1, settings.retryAfter().toSeconds()));
    this.refused =
        Counter.builder("tcportal.reports.rejected")
            .description("Reports refused, by reason")
            .tag("reason", "busy")
            .register(meters);
    this.timedOut =
        Counter.builder("tcportal.reports.rejected")
            .description("Reports refused, by reason")
            .tag("reason", "too_slow")
            .register(meters);
    Gauge.builder("tcportal.gateway.body.bytes.in.flight", taken, AtomicLong::get)
        .description("Request-body bytes held by requests being read, parsed or published")
        .baseUnit("bytes")
        .register(meters);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    Share share = new Share();
    ServerHttpRequest request = exchange.getRequest();
    long declared = request.getHeaders().getContentLength();
    ServerHttpRequest counted =
        new ServerHttpRequestDecorator(request) {
          @Override
          public Flux<DataBuffer> getBody() {
            return Flux.defer(
                () -> {
                  if (declared > 0 && !share.takeDeclared(declared)) {
                    return Flux.error(new Busy());
                  }
                  return super.getBody()
                      .onErrorMap(NettyLimits::isBodyTimeout, timeout -> new TooSlow())
                      .doOnNext(
                          buffer -> {
                            if (!share.received(buffer.readableByteCount())) {
                              DataBufferUtils.release(buffer);
                              throw new Busy();
                            }
                          });
                });
          }
        };
    return chain
        .filter(exchange.mutate().request(counted).build())
        .onErrorResume(Busy.class, busy -> busy(exchange.getResponse()))
        .onErrorResume(TooSlow.class, slow -> tooSlow(exchange.getResponse()))
        // The client hung up mid-body: nobody to answer, and nothing worth an error log.
        .onErrorResume(AbortedException.class, gone -> Mono.empty())
        .doFinally(signal -> share.giveBack());
  }

  long bytesInFlight() {
    return taken.get();
  }

  private Mono<Void> busy(ServerHttpResponse response) {
    refused.increment();
    response.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    return answer(response, HttpStatus.SERVICE_UNAVAILABLE, BUSY_MESSAGE);
  }

  /**
   * Reactor Netty's read and request timeouts fail the body; the endpoint would make that a 500.
   * The client is the slow one: 408, and the connection closes.
   */
  private Mono<Void> tooSlow(ServerHttpResponse response) {
    timedOut.increment();
    return answer(response, HttpStatus.REQUEST_TIMEOUT, TOO_SLOW_MESSAGE);
  }

  private static Mono<Void> answer(ServerHttpResponse response, HttpStatus status, String message) {
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    // The body is left unread: the connection is not worth keeping for it.
    response.getHeaders().set(HttpHeaders.CONNECTION, "close");
    byte[] json = EventJson.mapper().writeValueAsBytes(new ErrorBody(message));
    return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
  }

  /** What one request holds of the budget. */
  private final class Share {
    private long held;
    private long received;
    private boolean declaredTaken;

    /** Once per request, should its body ever be subscribed to again. */
    synchronized boolean takeDeclared(long bytes) {
      if (declaredTaken) {
        return true;
      }
      declaredTaken = take(bytes);
      return declaredTaken;
    }

    synchronized boolean take(long bytes) {
      while (true) {
        long now = taken.get();
        // One request alone always fits, so a budget below the body limit cannot lock reports out.
        if (now + bytes > (held + bytes > SMALL_BODY ? largeBodyLimit : budget) && now > 0) {
          return false;
        }
        if (taken.compareAndSet(now, now + bytes)) {
          held += bytes;
          return true;
        }
      }
    }

    /** A chunked body, or one longer than declared, takes what it sends beyond its share. */
    synchronized boolean received(long bytes) {
      received += bytes;
      long beyond = received - held;
      return beyond <= 0 || take(beyond);
    }

    synchronized void giveBack() {
      taken.addAndGet(-held);
      held = 0;
    }
  }

  /** The body did not arrive in time; never leaves this filter. */
  private static final class TooSlow extends RuntimeException {
    TooSlow() {
      super(TOO_SLOW_MESSAGE, null, false, false);
    }
  }

  /** The budget is spent; never leaves this filter. */
  private static final class Busy extends RuntimeException {
    Busy() {
      super(BUSY_MESSAGE, null, false, false);
    }
  }
}
