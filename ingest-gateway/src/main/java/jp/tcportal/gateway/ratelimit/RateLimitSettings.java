package jp.tcportal.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits of the report endpoint, off by default: at the top of the hour thousands of jobs
 * report at once, often through one NAT address and always with one secret, and a limit tuned too
 * tight would drop real reports. Each limit is a token bucket: {@code burst} requests at once, then
 * {@code perMinute} a minute.
 *
 * @param enabled whether any limit applies
 * @param perAddressPerMinute sustained requests a minute from one client address (checked before
 *     the secret, so it also slows down guessing)
 * @param perAddressBurst requests one address may send at once
 * @param perSecretPerMinute sustained requests a minute presenting one active secret
 * @param perSecretBurst requests one secret may carry at once
 * @param maxTrackedAddresses addresses remembered at once; beyond that idle ones are forgotten
 */
@ConfigurationProperties("tcportal.gateway.rate-limit")
public record RateLimitSettings(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("600") int perAddressPerMinute,
    @DefaultValue("120") int perAddressBurst,
    @DefaultValue("60000") int perSecretPerMinute,
    @DefaultValue("10000") int perSecretBurst,
    @DefaultValue("100000") int maxTrackedAddresses) {

  public RateLimitSettings {
    if (perAddressPerMinute < 1
        || perAddressBurst < 1
        || perSecretPerMinute < 1
        || perSecretBurst < 1
        || maxTrackedAddresses < 1) {
      throw new IllegalStateException("tcportal.gateway.rate-limit.* values must be at least 1");
    }
  }
}
