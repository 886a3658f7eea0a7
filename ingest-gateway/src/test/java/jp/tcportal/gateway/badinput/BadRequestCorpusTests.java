package jp.tcportal.gateway.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import jp.tcportal.gateway.GatewayIntegrationTest;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.schema.event.EventJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Every file of {@code src/test/resources/bad-requests/} is sent byte for byte to the running
 * gateway (real Netty, real broker): each must be answered with its expected 4xx, never a 5xx, with
 * the {@code {"error": "..."}} shape and nothing else, and none may reach the topic. The last test
 * sends a valid report afterwards and, once it is on the topic, checks that no corpus report is
 * there before it.
 */
class BadRequestCorpusTests extends GatewayIntegrationTest {

  @Value("${local.server.port}")
  int port;

  @TestFactory
  @ExtendWith(OutputCaptureExtension.class)
  Stream<DynamicTest> everyBadRequestIsRefusedWithTheErrorShapeAndPublishesNothing(
      CapturedOutput output) throws IOException, URISyntaxException {
    Path folder = Path.of(getClass().getResource("/bad-requests").toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(file -> file.toString().endsWith(".http")).sorted().toList();
    }
    assertThat(files).as("the corpus").hasSizeGreaterThanOrEqualTo(30);
    List<String> corpusTaskKeys = new ArrayList<>();
    Stream<DynamicTest> corpus =
        files.stream()
            .map(
                file -> {
                  String taskKey = "bad_" + UUID.randomUUID().toString().replace("-", "");
                  corpusTaskKeys.add(taskKey);
                  BadRequest request = BadRequest.load(file, SECRET, taskKey);
                  return dynamicTest(request.name(), () -> refused(request));
                });
    DynamicTest nothingPublished =
        dynamicTest("noCorpusRequestReachedTheTopic", () -> nothingPublished(corpusTaskKeys));
    // Netty logs every request it cannot decode; many of them carry the secret in a header.
    DynamicTest secretNotLogged =
        dynamicTest(
            "theSecretNeverShowsInTheLog",
            () -> assertThat(output.getAll()).contains("Decoding failed").doesNotContain(SECRET));
    return Stream.concat(corpus, Stream.of(nothingPublished, secretNotLogged));
  }

  private void refused(BadRequest request) throws IOException {
    RawHttp.Response response = RawHttp.exchange(port, request.request());

    assertThat(response.status())
        .as("status, body %s", response.text())
        .isEqualTo(request.expectedStatus());
    assertThat(response.status()).isBetween(400, 499);
    assertThat(response.headers().get("content-type")).startsWith("application/json");
    JsonNode body = EventJson.mapper().readTree(response.body());
    assertThat(body.propertyNames()).as("only the error field").containsExactly("error");
    assertThat(body.get("error").isString()).isTrue();
    assertThat(body.get("error").stringValue()).isNotBlank();
    if (request.expectedError() != null) {
      assertThat(body.get("error").stringValue()).isEqualTo(request.expectedError());
    }
  }

  private void nothingPublished(List<String> corpusTaskKeys) throws IOException {
    String canary = "canary_" + UUID.randomUUID().toString().replace("-", "");
    String report =
        "{\"task_key\": \""
            + canary
            + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\"}";
    byte[] body = report.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head =
        "POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\nX-TC-Portal-Secret: "
            + SECRET
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] request = new byte[head.length() + body.length];
    System.arraycopy(
        head.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, request, 0, head.length());
    System.arraycopy(body, 0, request, head.length(), body.length);
    assertThat(RawHttp.exchange(port, request).status()).isEqualTo(200);

    // The canary is on the topic, so anything sent before it would be too.
    TestKafka.awaitRunReported(record -> record.value().contains(canary));
    for (String taskKey : corpusTaskKeys) {
      assertThat(TestKafka.seen(record -> record.value().contains(taskKey))).as(taskKey).isEmpty();
    }
  }
}
