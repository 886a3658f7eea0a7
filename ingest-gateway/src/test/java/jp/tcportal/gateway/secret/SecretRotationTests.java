package jp.tcportal.gateway.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import jp.tcportal.gateway.IngestGatewayApplication;
import jp.tcportal.gateway.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rotation as an operator does it, with a restart between the steps: first the old secret is the
 * main one and the new one is added; both work. Then the new one becomes the main one and the old
 * one is removed; the old one stops working at once. No secret, presented or configured, and no
 * signature ever shows in the log, start-up included.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretRotationTests {

  private static final String OLD = "rotation-old-secret-51c2";
  private static final String NEW = "rotation-new-secret-a7e9";
  private static final String GUESS = "rotation-guessed-secret-0b3d";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void bothSecretsWorkDuringARotationAndTheOldOneStopsOnceRemoved(CapturedOutput output)
      throws Exception {
    String signedWithOld;
    try (ConfigurableApplicationContext during = start(OLD, NEW)) {
      int port = port(during);
      String byOld = uniqueTaskKey();
      String byNew = uniqueTaskKey();

      assertThat(post(port, OLD, byOld).statusCode()).isEqualTo(200);
      assertThat(post(port, NEW, byNew).statusCode()).isEqualTo(200);
      HttpResponse<String> signed = postSigned(port, NEW, uniqueTaskKey());
      assertThat(signed.statusCode()).isEqualTo(200);
      signedWithOld = signed.request().headers().firstValue("X-TC-Portal-Signature").orElseThrow();
      assertThat(post(port, GUESS, uniqueTaskKey()).statusCode()).isEqualTo(401);

      TestKafka.awaitRunReported(record -> record.value().contains(byOld));
      TestKafka.awaitRunReported(record -> record.value().contains(byNew));
    }

    try (ConfigurableApplicationContext after = start(NEW, "")) {
      int port = port(after);
      String byOld = uniqueTaskKey();
      String byNew = uniqueTaskKey();

      HttpResponse<String> old = post(port, OLD, byOld);
      assertThat(old.statusCode()).isEqualTo(401);
      assertThat(old.body()).isEqualTo("{\"error\":\"Invalid or missing secret\"}");
      assertThat(postSigned(port, OLD, uniqueTaskKey()).statusCode()).isEqualTo(401);
      assertThat(post(port, NEW, byNew).statusCode()).isEqualTo(200);

      TestKafka.awaitRunReported(record -> record.value().contains(byNew));
      assertThat(TestKafka.seen(record -> record.value().contains(byOld))).isEmpty();
    }

    assertThat(output.getAll())
        .contains("Netty started")
        .doesNotContain(OLD)
        .doesNotContain(NEW)
        .doesNotContain(GUESS)
        .doesNotContain(signedWithOld.substring(3));
  }

  private static ConfigurableApplicationContext start(String main, String additional) {
    return SpringApplication.run(
        IngestGatewayApplication.class,
        "--server.port=0",
        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
        "--tcportal.gateway.webhook-secret=" + main,
        "--tcportal.gateway.webhook-secrets-additional=" + additional);
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  private HttpResponse<String> post(int port, String secret, String taskKey) throws Exception {
    return client.send(
        request(port, taskKey).header("X-TC-Portal-Secret", secret).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postSigned(int port, String secret, String taskKey)
      throws Exception {
    byte[] body = body(taskKey);
    String timestamp = String.valueOf(Instant.now().getEpochSecond());
    return client.send(
        request(port, taskKey)
            .header(RequestSignatures.TIMESTAMP_HEADER, timestamp)
            .header(
                RequestSignatures.SIGNATURE_HEADER, RequestSignatures.sign(secret, timestamp, body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String taskKey) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/monitor/report"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(taskKey)));
  }

  private static byte[] body(String taskKey) {
    return ("{\"task_key\": \""
            + taskKey
            + "\", \"task_name\": \"鍵の入れ替え\", \"kind\": \"bat\", \"status\": \"success\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String uniqueTaskKey() {
    return "rotation_" + UUID.randomUUID().toString().replace("-", "");
  }
}
