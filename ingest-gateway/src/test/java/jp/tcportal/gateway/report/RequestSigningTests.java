package jp.tcportal.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
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
import jp.tcportal.schema.event.RunReported;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Optional request signing beside the spec's plain secret: a valid signature is enough on its own,
 * every credential presented must be valid, and every failure reads like the spec's 401.
 */
@WebFluxTest(ReportController.class)
@Import({
  WebhookSecrets.class,
  RequestSignatures.class,
  ReportMetrics.class,
  RequestSigningTests.Meters.class
})
@TestPropertySource(
    properties = {
      "tcportal.gateway.webhook-secret=" + RequestSigningTests.SECRET,
      "tcportal.gateway.webhook-secrets-additional=" + RequestSigningTests.ROTATED,
      "tcportal.gateway.signature-replay-window=300s"
    })
class RequestSigningTests {

  static final String SECRET = "signing-secret";
  static final String ROTATED = "signing-rotated";
  private static final String UNAUTHORIZED = "{\"error\": \"Invalid or missing secret\"}";

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
  void acceptsASignedReportWithoutThePlainSecret() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
    byte[] body = body("signed_report");
    String timestamp = Signing.now();

    signed(timestamp, Signing.signature(SECRET, timestamp, body), body)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.task_key")
        .isEqualTo("signed_report");

    ArgumentCaptor<RunReported> published = ArgumentCaptor.forClass(RunReported.class);
    verify(publisher).publish(published.capture());
    assertThat(published.getValue().taskKey()).isEqualTo("signed_report");
  }

  @Test
  void acceptsASignatureMadeWithARotationSecret() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
    byte[] body = body("rotated_signer");
    String timestamp = Signing.now();

    signed(timestamp, Signing.signature(ROTATED, timestamp, body), body)
        .exchange()
        .expectStatus()
        .isOk();

    verify(publisher).publish(any());
  }

  @Test
  void acceptsUpperCaseHexAndASignatureBesideTheRightPlainSecret() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
    byte[] body = body("both_credentials");
    String timestamp = Signing.now();
    String signature =
        "v1=" + Signing.signature(SECRET, timestamp, body).substring(3).toUpperCase();

    signed(timestamp, signature, body)
        .header("X-TC-Portal-Secret", SECRET)
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void acceptsATimestampJustInsideTheReplayWindowEitherWay() {
    when(publisher.publish(any())).thenReturn(Mono.empty());
    for (long offset : new long[] {-290, 290}) {
      byte[] body = body("edge_of_window");
      String timestamp = Signing.secondsFromNow(offset);
      signed(timestamp, Signing.signature(SECRET, timestamp, body), body)
          .exchange()
          .expectStatus()
          .isOk();
    }
  }

  @Test
  void refusesASignatureMadeWithAnotherKeyWithTheSpecMessage() {
    byte[] body = body("wrong_key");
    String timestamp = Signing.now();

    signed(timestamp, Signing.signature("not-the-secret", timestamp, body), body)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(UNAUTHORIZED, true);

    verify(publisher, never()).publish(any());
  }

  @Test
  void refusesASignatureOverADifferentBody() {
    String timestamp = Signing.now();
    String signature = Signing.signature(SECRET, timestamp, body("what_was_signed"));

    signed(timestamp, signature, body("what_was_sent"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(UNAUTHORIZED, true);

    verify(publisher, never()).publish(any());
  }

  @Test
  void refusesASignatureReplayedWithAnotherTimestamp() {
    byte[] body = body("replayed");
    String signedAt = Signing.secondsFromNow(-10);

    signed(Signing.now(), Signing.signature(SECRET, signedAt, body), body)
        .exchange()
        .expectStatus()
        .isUnauthorized();

    verify(publisher, never()).publish(any());
  }

  @ParameterizedTest
  @ValueSource(longs = {-301, -86_400, 301, 86_400})
  void refusesAStaleOrFutureTimestampBeforeReadingTheBody(long offset) {
    String timestamp = Signing.secondsFromNow(offset);
    byte[] body = body("stale");

    http.post()
        .uri("/api/monitor/report")
        .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
        .header(RequestSignatures.SIGNATURE_HEADER, Signing.signature(SECRET, timestamp, body))
        .contentType(MediaType.APPLICATION_JSON)
        .body(Flux.error(new AssertionError("the body was read")), DataBuffer.class)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(UNAUTHORIZED, true);

    verify(publisher, never()).publish(any());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1=abc",
        "v2=0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "v1=zz00000000000000000000000000000000000000000000000000000000000000",
        ""
      })
  void refusesAMalformedSignature(String signature) {
    signed(Signing.now(), signature, body("malformed"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(UNAUTHORIZED, true);

    verify(publisher, never()).publish(any());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-5", "1e9", "99999999999999999999"})
  void refusesATimestampThatIsNotUnixSeconds(String timestamp) {
    byte[] body = body("bad_timestamp");

    signed(timestamp, Signing.signature(SECRET, timestamp, body), body)
        .exchange()
        .expectStatus()
        .isUnauthorized();

    verify(publisher, never()).publish(any());
  }

  @Test
  void refusesASignatureWithoutItsTimestampAndATimestampWithoutItsSignature() {
    byte[] body = body("half_signed");
    String timestamp = Signing.now();

    http.post()
        .uri("/api/monitor/report")
        .header(RequestSignatures.SIGNATURE_HEADER, Signing.signature(SECRET, timestamp, body))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", SECRET)
        .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isUnauthorized();

    verify(publisher, never()).publish(any());
  }

  @Test
  void refusesAValidSignatureBesideAWrongPlainSecret() {
    byte[] body = body("mixed_credentials");
    String timestamp = Signing.now();

    signed(timestamp, Signing.signature(SECRET, timestamp, body), body)
        .header("X-TC-Portal-Secret", "a-wrong-secret")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .json(UNAUTHORIZED, true);

    verify(publisher, never()).publish(any());
  }

  private WebTestClient.RequestHeadersSpec<?> signed(
      String timestamp, String signature, byte[] body) {
    return http.post()
        .uri("/api/monitor/report")
        .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
        .header(RequestSignatures.SIGNATURE_HEADER, signature)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body);
  }

  private static byte[] body(String taskKey) {
    return Reports.json(Reports.minimal(taskKey)).getBytes(StandardCharsets.UTF_8);
  }
}
