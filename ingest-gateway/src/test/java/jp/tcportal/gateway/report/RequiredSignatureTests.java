package jp.tcportal.gateway.report;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.publish.ReportPublisher;
import jp.tcportal.gateway.secret.RequestSignatures;
import jp.tcportal.gateway.secret.WebhookSecrets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** With {@code tcportal.gateway.require-signature=true} the plain secret alone no longer opens. */
@WebFluxTest(ReportController.class)
@Import({
  WebhookSecrets.class,
  RequestSignatures.class,
  ReportMetrics.class,
  RequiredSignatureTests.Meters.class
})
@TestPropertySource(
    properties = {
      "tcportal.gateway.webhook-secret=" + RequiredSignatureTests.SECRET,
      "tcportal.gateway.require-signature=true"
    })
class RequiredSignatureTests {

  static final String SECRET = "required-signing-secret";

  @Autowired WebTestClient http;
  @MockitoBean ReportPublisher publisher;

  @TestConfiguration
  @EnableConfigurationProperties({GatewaySettings.class, ReportSettings.class})
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void refusesThePlainSecretAloneWithTheSpecMessage() {
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Reports.json(Reports.minimal("unsigned")))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json("{\"error\": \"Invalid or missing secret\"}", true);

    verify(publisher, never()).publish(any());
  }

  @Test
  void acceptsASignedReportWithOrWithoutThePlainSecret() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
    byte[] body = Reports.json(Reports.minimal("signed")).getBytes(StandardCharsets.UTF_8);
    String timestamp = Signing.now();
    String signature = Signing.signature(SECRET, timestamp, body);

    http.post()
        .uri("/api/monitor/report")
        .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
        .header(RequestSignatures.SIGNATURE_HEADER, signature)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk();
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
        .header(RequestSignatures.SIGNATURE_HEADER, signature)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk();
  }
}
