package jp.tcportal.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.publish.ReportPublisher;
import jp.tcportal.gateway.ratelimit.ReportRateLimits;
import jp.tcportal.gateway.secret.RequestSignatures;
import jp.tcportal.gateway.secret.WebhookSecrets;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fuzzes the gateway's whole request handling, headers and body, without a server: the fuzzer picks
 * the credentials (right, wrong, twice, signed, stale), Content-Type, Content-Encoding,
 * Transfer-Encoding, Idempotency-Key and the body bytes. The answer must be a 200 with the accepted
 * report or a named 4xx refusal with a message; any other exception, or a 5xx while the broker is
 * fine, is a finding.
 *
 * <p>Every test run replays the committed corpus in {@code ReportRequestFuzzTestsInputs}; {@code
 * -Pfuzz} generates new inputs for a bounded time (docs/security.md).
 */
class ReportRequestFuzzTests {

  private static final String SECRET = "fuzz-secret";
  private static final String ROTATED = "fuzz-rotated";
  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-8",
          "application/json; charset=Shift_JIS",
          "application/json; charset=UTF-16",
          "application/vnd.tcportal.report+json",
          "text/plain",
          "application/*",
          "application/json; charset=");

  private static final ReportController CONTROLLER = controller();

  @FuzzTest(maxDuration = "30s")
  void answersEveryRequestWithAReportOrANamedRefusal(FuzzedDataProvider data) {
    HttpHeaders headers = new HttpHeaders();
    switch (data.consumeInt(0, 5)) {
      case 0 -> {}
      case 1 -> headers.add(ReportController.SECRET_HEADER, SECRET);
      case 2 -> headers.add(ReportController.SECRET_HEADER, ROTATED);
      case 3 -> headers.add(ReportController.SECRET_HEADER, data.consumeString(40));
      case 4 -> {
        headers.add(ReportController.SECRET_HEADER, SECRET);
        headers.add(ReportController.SECRET_HEADER, data.consumeString(40));
      }
      default -> headers.add(ReportController.SECRET_HEADER, SECRET);
    }
    if (data.consumeBoolean()) {
      String type = data.consumeBoolean() ? data.pickValue(CONTENT_TYPES) : data.consumeString(60);
      headers.add(HttpHeaders.CONTENT_TYPE, type);
    }
    if (data.consumeInt(0, 7) == 0) {
      headers.add(HttpHeaders.CONTENT_ENCODING, data.consumeString(20));
    }
    if (data.consumeInt(0, 7) == 0) {
      headers.add(HttpHeaders.TRANSFER_ENCODING, data.consumeString(20));
    }
    if (data.consumeInt(0, 3) == 0) {
      headers.add(ReportController.IDEMPOTENCY_KEY_HEADER, data.consumeString(40));
    }
    int signing = data.consumeInt(0, 4);
    String timestamp =
        switch (signing) {
          case 1, 2 -> String.valueOf(Instant.now().getEpochSecond());
          case 3 -> data.consumeString(14);
          default -> null;
        };
    String garbage = signing == 3 ? data.consumeString(70) : null;
    byte[] body = data.consumeRemainingAsBytes();
    if (timestamp != null) {
      headers.add(RequestSignatures.TIMESTAMP_HEADER, timestamp);
      String signature =
          switch (signing) {
            case 1 -> RequestSignatures.sign(SECRET, timestamp, body);
            case 2 -> RequestSignatures.sign("not-the-secret", timestamp, body);
            default -> garbage;
          };
      headers.add(RequestSignatures.SIGNATURE_HEADER, signature);
    }

    MockServerHttpRequest request =
        MockServerHttpRequest.post("/api/monitor/report")
            .headers(headers)
            .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));

    ResponseEntity<?> answer;
    try {
      answer =
          Mono.defer(() -> CONTROLLER.report(request))
              .<ResponseEntity<?>>map(accepted -> accepted)
              .onErrorResume(
                  ReportRejectedException.class,
                  rejected -> Mono.just(CONTROLLER.rejected(rejected)))
              .block(Duration.ofSeconds(5));
    } catch (ReportRejectedException rejected) {
      answer = CONTROLLER.rejected(rejected);
    } catch (RuntimeException unexpected) {
      // Name the headers: the raw fuzzer input does not show them.
      throw new AssertionError(
          "Unexpected failure for headers " + headers.toSingleValueMap(), unexpected);
    }

    assertThat(answer).isNotNull();
    if (answer.getStatusCode().is2xxSuccessful()) {
      assertThat(answer.getBody()).isInstanceOf(ReportAccepted.class);
    } else {
      assertThat(answer.getStatusCode().is4xxClientError())
          .as("a refusal is the client's fault: %s", answer)
          .isTrue();
      assertThat(answer.getBody())
          .isInstanceOfSatisfying(
              jp.tcportal.gateway.error.ErrorBody.class,
              error -> assertThat(error.error()).isNotBlank());
    }
  }

  private static ReportController controller() {
    GatewaySettings settings =
        new GatewaySettings(
            SECRET,
            List.of(ROTATED),
            Duration.ofSeconds(5),
            1,
            10,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            false,
            Duration.ofSeconds(300));
    // Stub only: a fuzzing run makes millions of calls, which a recording mock would keep.
    ReportPublisher publisher = mock(ReportPublisher.class, withSettings().stubOnly());
    when(publisher.publish(any())).thenReturn(Mono.empty());
    return new ReportController(
        new WebhookSecrets(settings),
        new RequestSignatures(settings),
        new StaticListableBeanFactory().getBeanProvider(ReportRateLimits.class),
        publisher,
        new ReportMetrics(new SimpleMeterRegistry()),
        settings,
        new ReportSettings(java.time.ZoneId.of("Asia/Tokyo"), 1000, Duration.ofHours(1)));
  }
}
