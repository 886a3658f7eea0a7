package jp.tcportal.gateway.ratelimit;

import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The rate limits of the report endpoint, per client address and per secret. The bean exists only
 * when {@code tcportal.gateway.rate-limit.enabled=true}, so a gateway without limits pays one null
 * check per request.
 *
 * <p>The client address is the connection's peer; {@code X-Forwarded-For} is read only when that
 * peer is one of {@code tcportal.gateway.trusted-proxies} ({@link ClientAddresses}). Spring's own
 * forwarded-header handling stays off ({@code server.forward-headers-strategy: none} in {@code
 * application.yaml}), since on Kubernetes it would otherwise trust every peer.
 */
@Component
@ConditionalOnBooleanProperty("tcportal.gateway.rate-limit.enabled")
public class ReportRateLimits {

  private final TokenBuckets perAddress;
  private final TokenBuckets perSecret;
  private final ClientAddresses clients;

  public ReportRateLimits(RateLimitSettings settings, TrustedProxySettings proxies) {
    this.clients = new ClientAddresses(proxies.trustedProxies());
    this.perAddress =
        new TokenBuckets(
            settings.perAddressBurst(),
            settings.perAddressPerMinute(),
            settings.maxTrackedAddresses(),
            System::nanoTime);
    this.perSecret =
        new TokenBuckets(
            settings.perSecretBurst(), settings.perSecretPerMinute(), 1024, System::nanoTime);
  }

  /** {@link Duration#ZERO} when this address may send another request, else how long to wait. */
  public Duration takeForAddress(ServerHttpRequest request) {
    return perAddress.take(
        clients.clientOf(
            request.getRemoteAddress(), request.getHeaders().get(ClientAddresses.FORWARDED_FOR)));
  }

  /** {@link Duration#ZERO} when the n-th active secret may carry another request, else the wait. */
  public Duration takeForSecret(int secretIndex) {
    return perSecret.take(secretIndex);
  }
}
