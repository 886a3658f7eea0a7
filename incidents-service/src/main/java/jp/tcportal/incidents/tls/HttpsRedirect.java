package jp.tcportal.incidents.tls;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With TLS on, a request that did not arrive over HTTPS (directly, or through a trusted proxy's
 * {@code X-Forwarded-Proto}) is sent to the same path on the HTTPS port: 302 for GET and HEAD, 307
 * for the rest (so a form post is not turned into a GET). Not 301: a browser would remember it for
 * good, even after TLS is turned off again. {@code /actuator/health*} answers on both.
 */
final class HttpsRedirect extends OncePerRequestFilter {

  private volatile boolean enabled;
  private volatile int httpsPort = -1;

  void enable(boolean tls) {
    this.enabled = tls;
  }

  void httpsPort(int port) {
    this.httpsPort = port;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !enabled
        || httpsPort <= 0
        || request.isSecure()
        || path.equals("/actuator/health")
        || path.startsWith("/actuator/health/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getServerName();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    StringBuilder location = new StringBuilder("https://").append(host);
    if (httpsPort != 443) {
      location.append(':').append(httpsPort);
    }
    location.append(request.getRequestURI());
    if (request.getQueryString() != null) {
      location.append('?').append(request.getQueryString());
    }
    boolean safe =
        HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
    response.setStatus(
        safe ? HttpServletResponse.SC_FOUND : HttpServletResponse.SC_TEMPORARY_REDIRECT);
    response.setHeader("Location", location.toString());
  }
}
