package jp.tcportal.incidents.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import jp.tcportal.incidents.TestDatabases;
import jp.tcportal.testsupport.HeadlessChrome;
import jp.tcportal.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with TLS on, as an operator runs it: HTTPS from PEM files on {@code server.port}
 * (reloaded when they change), a plain HTTP port that redirects there except for health, HSTS on
 * HTTPS answers only, the session cookie Secure over HTTPS, forwarded headers believed only from
 * the named proxy, and Chromium logging in over HTTPS. One context for all of it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "tcportal.incidents.admin-password=" + TlsTest.ADMIN_PASSWORD,
      "server.ssl.bundle=tcportal",
      "spring.ssl.bundle.pem.tcportal.reload-on-update=true",
      "spring.ssl.bundle.watch.file.quiet-period=100ms",
      // The operator trusts exactly one proxy: 127.0.0.1 (the tests also connect from 127.0.0.3).
      "server.forward-headers-strategy=native",
      "server.tomcat.remoteip.internal-proxies=127\\\\.0\\\\.0\\\\.1"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsTest {

  static final String ADMIN_PASSWORD = "tls-admin-password";

  static TestCertificates certificates;
  static int httpsPort;
  static int plainPort;

  @DynamicPropertySource
  static void tlsAndDatabase(DynamicPropertyRegistry registry) throws Exception {
    TestDatabases.register(registry, "tls");
    Path dir = Files.createTempDirectory(Path.of("target"), "tls-");
    certificates = TestCertificates.create(dir);
    httpsPort = freePort();
    plainPort = freePort();
    registry.add("server.port", () -> httpsPort);
    registry.add("tcportal.incidents.plain-http-port", () -> plainPort);
    registry.add(
        "spring.ssl.bundle.pem.tcportal.keystore.certificate",
        () -> "file:" + certificates.serverPem().toAbsolutePath());
    registry.add(
        "spring.ssl.bundle.pem.tcportal.keystore.private-key",
        () -> "file:" + certificates.serverKeyPem().toAbsolutePath());
  }

  ChromeDriver browser;

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @Order(1)
  void plainHttpRedirectsToTheSamePathOverHttpsKeepingTheMethodOfPosts() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();

    HttpResponse<String> page = plain.send(get(plainUrl("/incidents?status=failed")), string());
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location"))
        .contains("https://localhost:" + httpsPort + "/incidents?status=failed");
    assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();

    HttpResponse<String> post =
        plain.send(
            HttpRequest.newBuilder(URI.create(plainUrl("/login")))
                .POST(HttpRequest.BodyPublishers.ofString("username=admin"))
                .build(),
            string());
    assertThat(post.statusCode()).isEqualTo(307);
    assertThat(post.headers().firstValue("Location"))
        .contains("https://localhost:" + httpsPort + "/login");
  }

  @Test
  @Order(2)
  void healthAnswersOnThePlainPortSoLaunchersNeedNotTrustTheCa() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    for (String path : new String[] {"/actuator/health", "/actuator/health/liveness"}) {
      HttpResponse<String> health = plain.send(get(plainUrl(path)), string());
      assertThat(health.statusCode()).as(path).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(health.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  @Test
  @Order(3)
  void httpsAnswersCarryHstsAndASecureSessionCookie() throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(certificates.trustingTheCa()).build();

    HttpResponse<String> login = https.send(get(httpsUrl("/login")), string());

    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("ログイン");
    assertThat(login.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(hsts -> assertThat(hsts).startsWith("max-age=31536000"));
    assertThat(sessionCookie(login.headers().allValues("Set-Cookie"))).contains("; Secure");
  }

  @Test
  @Order(4)
  void aClientThatDoesNotTrustTheCaIsRefused() {
    HttpClient defaultTrust = HttpClient.newHttpClient();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> defaultTrust.send(get(httpsUrl("/login")), string()))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  @Test
  @Order(5)
  void forwardedProtoIsBelievedFromTheNamedProxyOnlyAndNeverDowngrades() throws Exception {
    // The named proxy says the browser used HTTPS: served, with a Secure cookie and HSTS.
    String viaProxy = rawGet("127.0.0.1", "/login", "X-Forwarded-Proto: https");
    assertThat(viaProxy).startsWith("HTTP/1.1 200");
    assertThat(sessionCookieLine(viaProxy)).contains("Secure");
    assertThat(viaProxy).contains("Strict-Transport-Security: max-age=31536000");

    // Anyone else claiming HTTPS over plain HTTP is ignored: sent to HTTPS like everyone.
    String spoofed = rawGet("127.0.0.3", "/login", "X-Forwarded-Proto: https");
    assertThat(spoofed).startsWith("HTTP/1.1 302");
    assertThat(spoofed).contains("Location: https://localhost:" + httpsPort + "/login");
    assertThat(spoofed).doesNotContain("TCPORTAL_SESSION");
  }

  @Test
  @Order(6)
  void chromiumLogsInOverHttpsWithASecureSessionCookie() throws Exception {
    // Trust exactly this server key (not "ignore every certificate error").
    HeadlessChrome.assumeInstalled();
    browser =
        HeadlessChrome.start(
            "--ignore-certificate-errors-spki-list=" + certificates.serverSpkiSha256());

    browser.get(plainUrl("/incidents"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.getCurrentUrl().startsWith(httpsUrl("/login")));
    browser.findElement(By.id("username")).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
    browser.findElement(By.id("login-submit")).click();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.getCurrentUrl().startsWith(httpsUrl("/incidents")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("障害");
    assertThat(browser.manage().getCookieNamed("TCPORTAL_SESSION").isSecure()).isTrue();
  }

  @Test
  @Order(7)
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    BigInteger before = servedCertificate().getSerialNumber();

    certificates.renew();
    BigInteger renewed = certificates.serverCertificate().getSerialNumber();
    assertThat(renewed).isNotEqualTo(before);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> servedCertificate().getSerialNumber().equals(renewed));
  }

  private X509Certificate servedCertificate() throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            certificates.trustingTheCa().getSocketFactory().createSocket("localhost", httpsPort)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** A request from a chosen loopback address, which no HTTP client library lets us pick. */
  private static String rawGet(String fromAddress, String path, String header) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(fromAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", plainPort), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: localhost:"
                  + plainPort
                  + "\r\n"
                  + header
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sessionCookieLine(String response) {
    return response
        .lines()
        .filter(line -> line.startsWith("Set-Cookie: TCPORTAL_SESSION="))
        .findFirst()
        .orElse("");
  }

  private static String sessionCookie(java.util.List<String> setCookies) {
    return setCookies.stream()
        .filter(cookie -> cookie.startsWith("TCPORTAL_SESSION="))
        .findFirst()
        .orElse("");
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build();
  }

  private static HttpResponse.BodyHandler<String> string() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String plainUrl(String path) {
    return "http://localhost:" + plainPort + path;
  }

  private static String httpsUrl(String path) {
    return "https://localhost:" + httpsPort + path;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
