package jp.tcportal.benchmarks;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Follows reports from the gateway's 200 until the incidents API (logged in, as a user) shows their
 * monitor. Each followed report is the first of a monitor of its own, so {@code GET
 * /api/v1/monitors/{id}} answering 200 means the processor's transaction committed and the read
 * side sees it. Polled every 10 ms, so figures carry up to 10 ms of polling granularity.
 */
final class Freshness {

  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration GIVE_UP = Duration.ofSeconds(30);

  private final HttpClient incidents;
  private final Latencies latencies = new Latencies();
  private final AtomicLong neverSeen = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();

  private Freshness(HttpClient incidents) {
    this.incidents = incidents;
  }

  /**
   * Logs in through the form, as the browser does, and keeps the session cookie. The dashboard is
   * served over HTTPS with the stack's own CA ({@code caFile}), which both clients trust.
   */
  static Freshness loggedIn(String incidentsUrl, Path caFile, String user, String password)
      throws IOException, InterruptedException {
    CookieManager cookies = new CookieManager();
    java.net.http.HttpClient browser =
        java.net.http.HttpClient.newBuilder()
            .sslContext(trusting(caFile))
            .cookieHandler(cookies)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    String loginPage =
        browser
            .send(
                HttpRequest.newBuilder(URI.create(incidentsUrl + "/login")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(loginPage);
    if (!csrf.find()) {
      throw new IOException("No CSRF token on the login page");
    }
    String form =
        "username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> login =
        browser.send(
            HttpRequest.newBuilder(URI.create(incidentsUrl + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String location = login.headers().firstValue("Location").orElse("");
    if (login.statusCode() != 302 || location.contains("error")) {
      throw new IOException("Login failed: " + login.statusCode() + " " + location);
    }
    // Whatever the session cookie is called (TCPORTAL_SESSION today), send back all of them.
    String session =
        cookies.getCookieStore().getCookies().stream()
            .map(cookie -> cookie.getName() + "=" + cookie.getValue())
            .reduce((a, b) -> a + "; " + b)
            .orElseThrow(() -> new IOException("No session cookie after login"));
    SslContext tls = SslContextBuilder.forClient().trustManager(caFile.toFile()).build();
    HttpClient client =
        HttpClient.create()
            .secure(spec -> spec.sslContext(tls))
            .baseUrl(incidentsUrl)
            .headers(headers -> headers.set("Cookie", session))
            .responseTimeout(Duration.ofSeconds(10));
    Freshness freshness = new Freshness(client);
    int status = freshness.status(UUID.randomUUID()).block();
    if (status != 404) {
      throw new IOException("The logged-in API answered " + status + " for an unknown monitor");
    }
    return freshness;
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (var in = Files.newInputStream(caFile)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry(
          "tcportal-local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot trust " + caFile, e);
    }
  }

  /** Starts following one report whose 200 arrived at {@code answeredAtNanos}. */
  void follow(UUID monitorId, long answeredAtNanos) {
    pending.incrementAndGet();
    poll(monitorId, answeredAtNanos).subscribe();
  }

  private Mono<Void> poll(UUID monitorId, long answeredAtNanos) {
    return status(monitorId)
        .flatMap(
            status -> {
              long now = System.nanoTime();
              if (status == 200) {
                latencies.record(now - answeredAtNanos);
                pending.decrementAndGet();
                return Mono.empty();
              }
              if (now - answeredAtNanos > GIVE_UP.toNanos()) {
                neverSeen.incrementAndGet();
                pending.decrementAndGet();
                return Mono.empty();
              }
              return Mono.delay(POLL).then(Mono.defer(() -> poll(monitorId, answeredAtNanos)));
            });
  }

  private Mono<Integer> status(UUID monitorId) {
    return incidents
        .get()
        .uri("/api/v1/monitors/" + monitorId)
        .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
        .onErrorReturn(-1);
  }

  /** Waits until every followed report was seen or given up on. */
  void awaitAll() throws InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP.plusSeconds(5).toNanos();
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  Latencies latencies() {
    return latencies;
  }

  long neverSeen() {
    return neverSeen.get();
  }
}
