package jp.tcportal.incidents.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/** 401 and 403 for the API in the one error shape {@code {"error": "..."}}. */
final class JsonSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof ThrottledAuthentication.LoginThrottledException) {
      write(response, 429, "Too many failed logins, try again later");
      return;
    }
    write(response, HttpServletResponse.SC_UNAUTHORIZED, "Authentication required");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    String message =
        e instanceof CsrfException ? "Missing or invalid CSRF token" : "Forbidden: admins only";
    write(response, HttpServletResponse.SC_FORBIDDEN, message);
  }

  private static void write(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    // The messages are fixed strings without quotes or backslashes, so no JSON escaping is needed.
    response.getWriter().write("{\"error\":\"" + message + "\"}");
  }
}
