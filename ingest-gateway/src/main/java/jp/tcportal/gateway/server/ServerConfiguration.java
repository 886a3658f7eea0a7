package jp.tcportal.gateway.server;

import io.micrometer.core.instrument.MeterRegistry;
import jp.tcportal.gateway.GatewaySettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the body budget filter here rather than as a scanned component, so the endpoint's
 * {@code @WebFluxTest} slices (which pick up every scanned {@code WebFilter}) do not need it.
 */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

  @Bean
  BodyBytesInFlight bodyBytesInFlight(
      ServerLimits limits, GatewaySettings settings, MeterRegistry meters) {
    return new BodyBytesInFlight(limits, settings, meters);
  }
}
