package jp.tcportal.gateway;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole gateway on a random port, talking to the JVM's embedded KRaft broker. Every subclass
 * shares one application context.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.gateway.webhook-secret=" + GatewayIntegrationTest.SECRET,
      "tcportal.gateway.webhook-secrets-additional="
          + GatewayIntegrationTest.ROTATED_SECRET
          + ", ,"
          + GatewayIntegrationTest.OTHER_ROTATED_SECRET,
      // Short, so the slow-client tests (server/SlowClientTests) finish within seconds.
      "tcportal.gateway.request-head-timeout=3s",
      "tcportal.gateway.read-timeout=3s",
      "tcportal.gateway.request-timeout=6s",
      "tcportal.gateway.max-body-bytes-in-flight=1536KB"
    })
// Generous: a busy build machine can take seconds for a Prometheus scrape.
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class GatewayIntegrationTest {

  public static final String SECRET = "primary-secret-0f3a9c";
  public static final String ROTATED_SECRET = "rotated-secret-77b1";
  public static final String OTHER_ROTATED_SECRET = "rotated-secret-9d20";

  @Autowired protected WebTestClient http;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
  }
}
