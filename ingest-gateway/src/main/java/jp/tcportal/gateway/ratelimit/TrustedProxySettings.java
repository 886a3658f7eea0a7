package jp.tcportal.gateway.ratelimit;

import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which peers may say who the client is. Empty by default: {@code X-Forwarded-For} is then never
 * read, because anyone can send it. Bound beside {@code GatewaySettings} under the same prefix.
 *
 * @param trustedProxies addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code 192.168.1.5}, {@code
 *     fd00::/8}) of the load balancers or ingress controllers in front of the gateway ({@code
 *     TCPORTAL_GATEWAY_TRUSTEDPROXIES}, comma-separated)
 */
@ConfigurationProperties("tcportal.gateway")
public record TrustedProxySettings(List<String> trustedProxies) {

  public TrustedProxySettings {
    trustedProxies =
        trustedProxies == null
            ? List.of()
            : trustedProxies.stream()
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(range -> !range.isEmpty())
                .toList();
    // A typo fails the start, not the first request.
    trustedProxies.forEach(ClientAddresses.Cidr::parse);
  }
}
