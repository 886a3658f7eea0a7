package jp.tcportal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import jp.tcportal.gateway.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Rate limiting switched on, over real HTTP (the client address is the test's socket) and the real
 * broker: beyond a limit the answer is 429 with Retry-After and the error shape, and the refused
 * report is not published.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.gateway.webhook-secret=" + RateLimitTests.MAIN,
      "tcportal.gateway.webhook-secrets-additional=" + RateLimitTests.ROTATED,
      "tcportal.gateway.rate-limit.enabled=true",
      "tcportal.gateway.rate-limit.per-address-burst=4",
      "tcportal.gateway.rate-limit.per-address-per-minute=1",
      "tcportal.gateway.rate-limit.per-secret-burst=2",
      "tcportal.gateway.rate-limit.per-secret-per-minute=1"
    })
@AutoConfigureWebTestClient
class RateLimitTests {

  static final String MAIN = "rate-main-secret";
  static final String ROTATED = "rate-rotated-secret";

  @Autowired WebTestClient http;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
  }

  @Test
  void limitsEachSecretThenEachAddressWith429AndRetryAfterAndPublishesNothingRefused() {
    // Per secret: the main secret's burst of 2 passes, the third waits.
    post(MAIN, uniqueTaskKey()).expectStatus().isOk();
    post(MAIN, uniqueTaskKey()).expectStatus().isOk();
    String refusedBySecret = uniqueTaskKey();
    String retryAfter = tooMany(post(MAIN, refusedBySecret));
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);

    // The rotation secret has a bucket of its own, but this address has now used its burst of 4.
    String acceptedLast = uniqueTaskKey();
    post(ROTATED, acceptedLast).expectStatus().isOk();
    String refusedByAddress = uniqueTaskKey();
    tooMany(post(ROTATED, refusedByAddress));
    // The address is checked before the secret, so guessing secrets is slowed down too.
    tooMany(post("a-guessed-secret", uniqueTaskKey()));

    assertThat(meters.counter("tcportal.reports.rejected", "reason", "rate_limited").count())
        .isEqualTo(3);
    // Everything accepted above is on the topic; the refused reports are not.
    TestKafka.awaitRunReported(record -> record.value().contains(acceptedLast));
    assertThat(TestKafka.seen(record -> record.value().contains(refusedBySecret))).isEmpty();
    assertThat(TestKafka.seen(record -> record.value().contains(refusedByAddress))).isEmpty();
  }

  private WebTestClient.ResponseSpec post(String secret, String taskKey) {
    return http.post()
        .uri("/api/monitor/report")
        .header("X-TC-Portal-Secret", secret)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            "{\"task_key\": \""
                + taskKey
                + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\"}")
        .exchange();
  }

  private static String tooMany(WebTestClient.ResponseSpec response) {
    return response
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER)
        .expectBody()
        .jsonPath("$.error")
        .value(
            String.class,
            error -> assertThat(error).matches("Too many reports, retry after \\d+ s"))
        .returnResult()
        .getResponseHeaders()
        .getFirst(HttpHeaders.RETRY_AFTER);
  }

  private static String uniqueTaskKey() {
    return "rate_" + UUID.randomUUID().toString().replace("-", "");
  }
}
