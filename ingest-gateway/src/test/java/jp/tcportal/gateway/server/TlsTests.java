package jp.tcportal.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import jp.tcportal.gateway.TestKafka;
import jp.tcportal.testsupport.TestCertificates;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway serving HTTPS from PEM files through a Spring Boot SSL bundle, as the local stack and
 * the deployment files configure it, with the extra plain-HTTP port beside it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.gateway.webhook-secret=" + TlsTests.SECRET,
      "tcportal.gateway.plain-http-port=0",
      "server.ssl.bundle=tcportal",
      "spring.ssl.bundle.pem.tcportal.reload-on-update=true",
      "spring.ssl.bundle.watch.file.quiet-period=500ms"
    })
class TlsTests {

  static final String SECRET = "tls-secret";
  private static final Path DIR;
  private static final TestCertificates CERTIFICATES;
  private static final Path CA;
  private static final Path WRONG_CA;
  private static final Path SERVER_PEM;
  private static final Path SERVER_KEY;

  static {
    try {
      DIR = Files.createTempDirectory("gateway-tls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CERTIFICATES = TestCertificates.create(DIR);
    CA = CERTIFICATES.caPem();
    WRONG_CA = CERTIFICATES.unrelatedAuthority("wrong-ca");
    SERVER_KEY = CERTIFICATES.serverKeyPem();
    SERVER_PEM = CERTIFICATES.serverPem();
  }

  @LocalServerPort int httpsPort;
  @Autowired PlainHttpServer plain;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    registry.add(
        "spring.ssl.bundle.pem.tcportal.keystore.certificate", () -> SERVER_PEM.toUri().toString());
    registry.add(
        "spring.ssl.bundle.pem.tcportal.keystore.private-key", () -> SERVER_KEY.toUri().toString());
  }

  @Test
  void acceptsAReportOverHttpsFromAClientThatTrustsTheCa() throws Exception {
    String taskKey = uniqueTaskKey();

    HttpResponse<String> answer = post(client(CA), "https://localhost:" + httpsPort, taskKey);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"ok\":true", taskKey);
    TestKafka.awaitRunReported(record -> record.value().contains(taskKey));
  }

  @Test
  void refusesTheHandshakeOfAClientThatTrustsAnotherCa() {
    assertThatThrownBy(
            () -> post(client(WRONG_CA), "https://localhost:" + httpsPort, uniqueTaskKey()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void servesTheSameEndpointsOnThePlainPort() throws Exception {
    String taskKey = uniqueTaskKey();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> answer = post(http, "http://127.0.0.1:" + plain.port(), taskKey);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    TestKafka.awaitRunReported(record -> record.value().contains(taskKey));
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + plain.port() + "/actuator/health/liveness"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void servesTheNewCertificateOnceThePemFilesAreReplaced() throws Exception {
    BigInteger before = servedCertificate().getSerialNumber();
    assertThat(before).isEqualTo(TestCertificates.read(SERVER_PEM).getSerialNumber());

    Path renewed = CERTIFICATES.issueServerCertificate("renewed.pem");
    BigInteger after = TestCertificates.read(renewed).getSerialNumber();
    assertThat(after).isNotEqualTo(before);
    Files.move(renewed, SERVER_PEM, StandardCopyOption.REPLACE_EXISTING);

    Awaitility.await("the gateway serves the renewed certificate")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> servedCertificate().getSerialNumber().equals(after));
    // And still takes reports with it.
    assertThat(post(client(CA), "https://localhost:" + httpsPort, uniqueTaskKey()).statusCode())
        .isEqualTo(200);
  }

  private X509Certificate servedCertificate() throws Exception {
    HttpResponse<String> answer =
        client(CA)
            .send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + httpsPort + "/actuator/health/liveness"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    SSLSession session = answer.sslSession().orElseThrow();
    return (X509Certificate) session.getPeerCertificates()[0];
  }

  private static HttpClient client(Path ca) {
    SSLContext context = TestCertificates.trusting(ca);
    // A new client per call: no pooled connection keeps the old certificate's session.
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> post(HttpClient http, String base, String taskKey)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/monitor/report"))
            .header("X-TC-Portal-Secret", SECRET)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"task_key\": \""
                        + taskKey
                        + "\", \"task_name\": \"日次同期\", \"kind\": \"python\","
                        + " \"status\": \"success\"}",
                    StandardCharsets.UTF_8))
            .timeout(Duration.ofSeconds(15))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String uniqueTaskKey() {
    return "tls_" + UUID.randomUUID().toString().replace("-", "");
  }
}
