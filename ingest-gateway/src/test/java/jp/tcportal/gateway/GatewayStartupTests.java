package jp.tcportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The service refuses to start without the webhook secret, and says what is missing. */
class GatewayStartupTests {

  @Test
  void refusesToStartWhenTheSecretIsNotConfigured() {
    assumeThat(System.getenv("TC_PORTAL_WEBHOOK_SECRET")).isNull();

    assertThatThrownBy(() -> start().close())
        .rootCause()
        .hasMessageContaining("TC_PORTAL_WEBHOOK_SECRET is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void refusesToStartWithABlankSecret(String secret) {
    assertThatThrownBy(() -> start("--tcportal.gateway.webhook-secret=" + secret).close())
        .rootCause()
        .hasMessageContaining("TC_PORTAL_WEBHOOK_SECRET is required");
  }

  @Test
  void startsWithTheSecretBeforeAnyBrokerIsThere() {
    try (ConfigurableApplicationContext gateway =
        start(
            "--tcportal.gateway.webhook-secret=a-real-secret",
            "--tcportal.gateway.webhook-secrets-additional=next-one")) {
      assertThat(gateway.getBean(GatewaySettings.class).activeSecrets())
          .containsExactly("a-real-secret", "next-one");
    }
  }

  private static ConfigurableApplicationContext start(String... arguments) {
    List<String> all = new ArrayList<>(List.of(arguments));
    all.add("--server.port=0");
    all.add("--spring.kafka.bootstrap-servers=127.0.0.1:1");
    all.add("--spring.kafka.admin.auto-create=false");
    return SpringApplication.run(IngestGatewayApplication.class, all.toArray(String[]::new));
  }
}
