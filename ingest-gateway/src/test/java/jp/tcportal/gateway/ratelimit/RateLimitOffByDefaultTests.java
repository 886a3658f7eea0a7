package jp.tcportal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;

/** Without settings there is no limit: a top-of-the-hour burst from one address all gets in. */
class RateLimitOffByDefaultTests extends GatewayIntegrationTest {

  @Autowired ApplicationContext context;

  @Test
  void acceptsABurstFromOneAddressAndOneSecretWhenNothingIsConfigured() {
    assertThat(context.getBeanNamesForType(ReportRateLimits.class)).isEmpty();
    String run = UUID.randomUUID().toString().replace("-", "");

    for (int i = 0; i < 150; i++) {
      http.post()
          .uri("/api/monitor/report")
          .header("X-TC-Portal-Secret", SECRET)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              "{\"task_key\": \"burst_"
                  + run
                  + "_"
                  + i
                  + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\"}")
          .exchange()
          .expectStatus()
          .isOk();
    }

    TestKafka.awaitRunReported(record -> record.value().contains("burst_" + run + "_149\""));
  }
}
