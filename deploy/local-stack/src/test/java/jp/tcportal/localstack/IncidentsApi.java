package jp.tcportal.localstack;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incidents service's JSON API as an admin sees it: HTTP basic when the service takes it for
 * API calls, otherwise the login form (with its CSRF token) and the session cookie, as a browser
 * would.
 */
final class IncidentsApi {

  private static final Pattern CSRF_INPUT =
      Pattern.compile(
          "name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

  private final String baseUrl;
  private final String user;
  private final String password;
  private final HttpClient http;

  /** Over HTTPS, trusting only the stack's own CA. */
  IncidentsApi(int httpsPort, javax.net.ssl.SSLContext trust, String user, String password) {
    this.baseUrl = "https://127.0.0.1:" + httpsPort;
    this.user = user;
    this.password = password;
    CookieManager cookies = new CookieManager();
    cookies.setCookiePolicy(CookiePolicy.ACCEPT_ALL);
    this.http =
        HttpClient.newBuilder()
            .sslContext(trust)
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** GET a JSON API path, logging in first if the service asks for it. */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> withBasic =
        http.send(
            request(path)
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (withBasic.statusCode() == 200) {
      return withBasic.body();
    }
    logInWithForm();
    HttpResponse<String> withSession =
        http.send(
            request(path).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (withSession.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + withSession.statusCode() + ": " + withSession.body());
    }
    return withSession.body();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json");
  }

  private void logInWithForm() throws IOException, InterruptedException {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/login")).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Matcher csrf = CSRF_INPUT.matcher(page.body());
    StringBuilder form =
        new StringBuilder()
            .append("username=")
            .append(URLEncoder.encode(user, StandardCharsets.UTF_8))
            .append("&password=")
            .append(URLEncoder.encode(password, StandardCharsets.UTF_8));
    if (csrf.find()) {
      String token = csrf.group(1) != null ? csrf.group(1) : csrf.group(2);
      form.append("&_csrf=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
    }
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String location = login.headers().firstValue("Location").orElse("");
    if (login.statusCode() != 302 || location.contains("error")) {
      throw new IOException(
          "Login as " + user + " failed: " + login.statusCode() + " Location: " + location);
    }
  }
}
