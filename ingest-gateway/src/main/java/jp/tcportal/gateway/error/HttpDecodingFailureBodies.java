package jp.tcportal.gateway.error;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import jp.tcportal.schema.event.EventJson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the error shape to the answers Netty sends by itself, before any application code runs,
 * when it cannot decode a request: headers over {@code server.max-http-request-header-size}, a
 * request line over {@code server.netty.max-initial-line-length}, two different Content-Length
 * headers, an invalid header. Reactor Netty answers those with a status and an empty body; this
 * handler, placed right after the HTTP codec, fills in {@code {"error": "..."}} naming the limit.
 */
@Component
class HttpDecodingFailureBodies implements NettyServerCustomizer {

  private static final String HANDLER_NAME = "tcportal.decodingFailureBodies";

  private final long maxHeaderBytes;
  private final long maxInitialLineBytes;

  HttpDecodingFailureBodies(
      @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaderSize,
      @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLine) {
    this.maxHeaderBytes = maxHeaderSize.toBytes();
    this.maxInitialLineBytes = maxInitialLine.toBytes();
  }

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit(
        (observer, channel, address) -> {
          if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
              && channel.pipeline().get(HANDLER_NAME) == null) {
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, new Handler());
          }
        });
  }

  String messageFor(int status) {
    return switch (status) {
      case 413, 431 ->
          "Request headers must be at most "
              + maxHeaderBytes
              + " bytes and the request line at most "
              + maxInitialLineBytes
              + " bytes";
      case 414 -> "Request line must be at most " + maxInitialLineBytes + " bytes";
      default -> "Bad request: the HTTP request could not be read";
    };
  }

  /** Rewrites only body-less 4xx answers, which the application itself never sends. */
  private final class Handler extends ChannelDuplexHandler {
    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
      if (message instanceof FullHttpResponse response
          && response.status().code() >= 400
          && response.status().code() < 500
          && response.content().readableBytes() == 0
          && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
        byte[] json =
            EventJson.mapper()
                .writeValueAsBytes(new ErrorBody(messageFor(response.status().code())));
        FullHttpResponse withBody =
            new DefaultFullHttpResponse(
                response.protocolVersion(), response.status(), Unpooled.wrappedBuffer(json));
        withBody.headers().set(response.headers());
        withBody.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        withBody.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        response.release();
        context.write(withBody, promise);
        return;
      }
      context.write(message, promise);
    }
  }
}
