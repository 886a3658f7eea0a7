package jp.tcportal.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The rate limits of the report endpoint, per client address and per secret. The bean exists only
 * when {@code tcportal.gateway.rate-limit.enabled=true}, so a gateway without limits pays one null
 * check per request.
 *
 * <p>The client address is the connection's peer, or what {@code X-Forwarded-For} says when {@code
 * server.forward-headers-strategy} is set behind a trusted proxy.
 */
@Component
@ConditionalOnBooleanProperty("tcportal.gateway.rate-limit.enabled")
public class ReportRateLimits {

  private final TokenBuckets perAddress;
  private final TokenBuckets perSecret;

  public ReportRateLimits(RateLimitSettings settings) {
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
  public Duration takeForAddress(InetSocketAddress client) {
    return perAddress.take(addressOf(client));
  }

  /** {@link Duration#ZERO} when the n-th active secret may carry another request, else the wait. */
  public Duration takeForSecret(int secretIndex) {
    return perSecret.take(secretIndex);
  }

  private static Object addressOf(InetSocketAddress client) {
    if (client == null) {
      return "unknown";
    }
    InetAddress address = client.getAddress();
    // The port differs per connection; the host is the client.
    return address != null ? address : client.getHostString();
  }
}
