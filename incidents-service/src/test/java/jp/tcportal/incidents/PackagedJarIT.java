package jp.tcportal.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executable jar on its own, as operators start it: it migrates an empty database, serves the
 * login page, and answers the API with the environment's admin account.
 */
class PackagedJarIT {

  static final Path JAR = Path.of("target", "incidents-service-1.0.0-SNAPSHOT.jar");
  static final String ADMIN_PASSWORD = "packaged-jar-admin";

  static Process service;
  static int port;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheJar() throws IOException {
    assertThat(JAR).exists();
    String url = TestPostgres.newDatabase("packaged_jar");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", JAR.toString()))
            .redirectErrorStream(true)
            .redirectOutput(
                Files.createDirectories(Path.of("target")).resolve("packaged-jar.log").toFile());
    builder.environment().put("TC_PORTAL_DB_URL", url);
    builder.environment().put("TC_PORTAL_DB_USER", TestPostgres.USER);
    builder.environment().put("TC_PORTAL_DB_PASSWORD", TestPostgres.PASSWORD);
    builder.environment().put("TC_PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD);
    builder.environment().put("PORT", Integer.toString(port));
    service = builder.start();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> get("/actuator/health", null).body().contains("\"UP\""));
  }

  @AfterAll
  static void stopTheJar() {
    if (service != null) {
      service.destroy();
      await().atMost(Duration.ofSeconds(30)).until(() -> !service.isAlive());
    }
  }

  @Test
  void servesTheJapaneseLoginPage() throws Exception {
    HttpResponse<String> login = get("/login", null);

    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("ログイン", "name=\"_csrf\"");
    assertThat(login.headers().firstValue("Content-Security-Policy"))
        .get()
        .asString()
        .contains("frame-ancestors 'none'");
  }

  @Test
  void answersTheBadgeForTheEnvironmentsAdmin() throws Exception {
    HttpResponse<String> badge = get("/api/v1/incidents/badge", "admin:" + ADMIN_PASSWORD);

    assertThat(badge.statusCode()).isEqualTo(200);
    assertThat(badge.body()).isEqualTo("{\"count\":0}");
  }

  @Test
  void unknownApiPathAnswersInTheOneErrorShape() throws Exception {
    HttpResponse<String> missing = get("/api/v1/nothing", "admin:" + ADMIN_PASSWORD);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"Not Found\"}");
  }

  @Test
  void anonymousPageVisitGoesToTheLoginForm() throws Exception {
    HttpResponse<String> page = get("/incidents", null);

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).get().asString().endsWith("/login");
  }

  private static HttpResponse<String> get(String path, String basic) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (basic != null) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
