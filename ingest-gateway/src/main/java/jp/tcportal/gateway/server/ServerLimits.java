package jp.tcportal.gateway.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on what slow or large clients can hold, so that a few of them cannot take the sockets or
 * the heap that every other PC needs at the top of the hour. Bound beside {@code GatewaySettings}
 * under the same prefix.
 *
 * @param requestHeadTimeout longest time from the first byte of a request to the end of its headers
 *     ({@code server.netty.idle-timeout} only bounds the silence between two bytes, so a client
 *     trickling a header byte a minute would otherwise hold its socket for days)
 * @param readTimeout longest silence while a request body is being received
 * @param requestTimeout longest time to receive a whole request body
 * @param maxBodyBytesInFlight request-body bytes all requests together may hold at once (declared
 *     {@code Content-Length}, or what a chunked body has sent so far), from the moment the body is
 *     read until the answer; a request that would go beyond it gets 503 with {@code Retry-After}.
 *     Each body byte costs a few heap bytes while it is parsed and published: keep the heap at
 *     least four times this plus 100 MB (the local stack's 256 MB gateway heap fits the default)
 */
@ConfigurationProperties("tcportal.gateway")
public record ServerLimits(
    @DefaultValue("10s") Duration requestHeadTimeout,
    @DefaultValue("10s") Duration readTimeout,
    @DefaultValue("20s") Duration requestTimeout,
    @DefaultValue("32MB") DataSize maxBodyBytesInFlight) {

  public ServerLimits {
    if (isNotPositive(requestHeadTimeout)
        || isNotPositive(readTimeout)
        || isNotPositive(requestTimeout)) {
      throw new IllegalStateException(
          "tcportal.gateway.request-head-timeout, read-timeout and request-timeout must be"
              + " positive");
    }
    if (maxBodyBytesInFlight.toBytes() < 1024 * 1024) {
      throw new IllegalStateException(
          "tcportal.gateway.max-body-bytes-in-flight must be at least 1MB (one report's body)");
    }
  }

  private static boolean isNotPositive(Duration duration) {
    return duration == null || duration.isNegative() || duration.isZero();
  }
}
