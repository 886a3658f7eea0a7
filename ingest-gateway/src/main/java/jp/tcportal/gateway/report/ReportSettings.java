package jp.tcportal.gateway.report;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the endpoint reads reports and remembers idempotency keys. Bound from {@code
 * tcportal.gateway} beside {@code GatewaySettings}, kept apart so the report path's settings change
 * with it.
 *
 * @param reportDefaultZone the zone in which an instant sent without an offset is read ({@code
 *     TCPORTAL_REPORT_DEFAULT_ZONE}); the spec's Python client sends {@code datetime.now()} from
 *     Japanese PCs
 * @param idempotencyKeysRemembered how many recent {@code (monitor, Idempotency-Key)} pairs the
 *     gateway remembers, least recently used forgotten first (about 130 bytes each)
 * @param idempotencyKeyMemory how long a key is remembered; a reused key with a different report is
 *     answered 409 within it, and stored under a derived id by the processor beyond it
 */
@ConfigurationProperties("tcportal.gateway")
public record ReportSettings(
    @DefaultValue("Asia/Tokyo") ZoneId reportDefaultZone,
    @DefaultValue("50000") int idempotencyKeysRemembered,
    @DefaultValue("24h") Duration idempotencyKeyMemory) {

  public ReportSettings {
    if (idempotencyKeysRemembered < 0) {
      throw new IllegalStateException(
          "tcportal.gateway.idempotency-keys-remembered must be 0 (off) or more");
    }
    if (idempotencyKeyMemory == null || idempotencyKeyMemory.isNegative()) {
      throw new IllegalStateException("tcportal.gateway.idempotency-key-memory must be positive");
    }
  }
}
