package jp.tcportal.incidents.badge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tcportal.incidents.IncidentsApplication;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A stopping service ends the browsers' live streams first. Its shutdown is graceful (it waits for
 * open requests, up to a minute here), and a live stream never ends by itself, so without that
 * every deploy or restart would wait out the whole timeout for the dashboards that are open.
 */
class LiveUpdatesShutdownTest {

  @Test
  void closingTheServiceEndsOpenLiveStreamsInsteadOfWaitingForThem() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String url = TestPostgres.newDatabase("live_shutdown");
    ConfigurableApplicationContext service =
        new SpringApplicationBuilder(IncidentsApplication.class)
            .run(
                "--server.port=" + port,
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestPostgres.USER,
                "--spring.datasource.password=" + TestPostgres.PASSWORD,
                "--tcportal.incidents.admin-password=live-shutdown-admin",
                "--spring.lifecycle.timeout-per-shutdown-phase=60s");
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    logIn(http, base);
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    InputStream events = stream.body();
    assertThat(new String(events.readNBytes(12), StandardCharsets.UTF_8)).startsWith("event:");

    CompletableFuture<Void> closed = CompletableFuture.runAsync(service::close);
    // The stream ends (end of input, or the connection closed) long before the 60 s timeout.
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(
            () -> {
              try {
                events.readAllBytes();
              } catch (java.io.IOException connectionClosed) {
                // ended as well
              }
            });
    ended.get(20, TimeUnit.SECONDS);
    closed.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    assertThat(service.isActive()).isFalse();
  }

  /** Through the login form, as a browser does: the stream needs a session. */
  private static void logIn(HttpClient http, String base) throws Exception {
    String form =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(form);
    assertThat(csrf.find()).as("a CSRF token on the login page").isTrue();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=admin&password=live-shutdown-admin&_csrf="
                            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
  }
}
