package jp.tcportal.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Hooks;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * The timeouts of {@link ServerLimits} on every port the gateway serves. Reactor Netty's own {@code
 * readTimeout} and {@code requestTimeout} bound the body (the client gets 408 and the connection is
 * closed); {@code server.netty.idle-timeout} bounds the silence between requests; the request head
 * gets a deadline of its own here, counted from its first byte.
 */
@Component
class NettyLimits implements NettyServerCustomizer {

  private static final Logger log = LoggerFactory.getLogger(NettyLimits.class);
  private static final String ARM = "tcportal.requestHeadDeadline.arm";
  private static final String DISARM = "tcportal.requestHeadDeadline.disarm";

  private static final String REQUEST_TIMEOUT_EXCEPTION =
      "reactor.netty.http.server.RequestTimeoutException";
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

  private final ServerLimits limits;
  private final AtomicBoolean warnedNoCodec = new AtomicBoolean();

  NettyLimits(ServerLimits limits) {
    this.limits = limits;
    quietDroppedTimeouts();
  }

  /**
   * A body that times out after its answer was sent (a 401 or 503 given before the body was read,
   * which Reactor Netty then drains) has nobody left to receive the timeout, and Reactor logs such
   * dropped errors at ERROR, one line per slow client. These are expected: logged at DEBUG. Every
   * other dropped error is still logged at ERROR, as Reactor's default does. Installed once per JVM
   * (the hook is global and cumulative).
   */
  private static void quietDroppedTimeouts() {
    if (HOOK_INSTALLED.getAndSet(true)) {
      return;
    }
    Hooks.onErrorDropped(
        dropped -> {
          if (isBodyTimeout(dropped)) {
            log.debug("Body timeout after the answer: {}", dropped.toString());
          } else {
            log.error("Operator called default onErrorDropped", dropped);
          }
        });
  }

  /** Reactor Netty's read or request timeout (the latter's class is package-private). */
  static boolean isBodyTimeout(Throwable failure) {
    return failure instanceof ReadTimeoutException
        || (failure instanceof ChannelException
            && failure.getClass().getName().equals(REQUEST_TIMEOUT_EXCEPTION));
  }

  @Override
  public HttpServer apply(HttpServer server) {
    long headTimeoutNanos = limits.requestHeadTimeout().toNanos();
    return server
        .readTimeout(limits.readTimeout())
        .requestTimeout(limits.requestTimeout())
        .doOnChannelInit(
            (observer, channel, remoteAddress) -> {
              ChannelPipeline pipeline = channel.pipeline();
              if (pipeline.get(NettyPipeline.HttpCodec) == null) {
                // HTTP/2 (negotiated later): Reactor Netty's timeouts still apply to bodies.
                if (!warnedNoCodec.getAndSet(true)) {
                  log.warn("No HTTP/1.1 codec at connection start: no request head deadline");
                }
                return;
              }
              HeadDeadline deadline = new HeadDeadline(headTimeoutNanos);
              pipeline.addBefore(NettyPipeline.HttpCodec, ARM, deadline.arm);
              pipeline.addAfter(NettyPipeline.HttpCodec, DISARM, deadline.disarm);
            });
  }

  /**
   * Closes a connection whose request head did not arrive within the timeout of its first byte.
   * {@code arm} sits before the HTTP decoder and sees raw bytes; {@code disarm} sits after it and
   * sees the decoded head. Both run on the channel's one event loop, so no locking is needed.
   */
  static final class HeadDeadline {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inHead;
    private boolean inBody;

    final ChannelInboundHandlerAdapter arm =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!inHead && !inBody && msg instanceof ByteBuf bytes && bytes.isReadable()) {
              inHead = true;
              timer =
                  ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelRead(msg);
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
          }
        };

    final ChannelInboundHandlerAdapter disarm =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
              // The body is Reactor Netty's concern (read and request timeouts).
              cancel();
              inHead = false;
              inBody = true;
            }
            if (msg instanceof LastHttpContent) {
              // The next request's first byte arms the deadline again.
              inBody = false;
            }
            ctx.fireChannelRead(msg);
          }
        };

    HeadDeadline(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }

    private void expire(ChannelHandlerContext ctx) {
      if (inHead) {
        log.debug("Closing {}: request head not complete in time", ctx.channel().remoteAddress());
        ctx.close();
      }
    }

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }
}
