package jp.tcportal.incidents.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in session on the first request after it lost its grounds: its absolute lifetime
 * passed (however active it was; an OpenID Connect user signs in at the issuer again, which
 * re-reads their roles), or its local account was deleted, demoted, disabled or given a new
 * password. The account is read on every request (one primary-key lookup), so this also holds when
 * the change was made on another instance.
 */
final class SessionRevalidation extends OncePerRequestFilter {

  /** When the session's login happened; set by {@link #stampingLoginTime}. */
  static final String LOGGED_IN_AT = SessionRevalidation.class.getName() + ".LOGGED_IN_AT";

  private static final Logger log = LoggerFactory.getLogger(SessionRevalidation.class);

  private final LocalAccounts accounts;
  private final Duration absoluteLifetime;
  private final Clock clock;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();
  private final RequestCache requestCache = new HttpSessionRequestCache();

  SessionRevalidation(LocalAccounts accounts, Duration absoluteLifetime, Clock clock) {
    this.accounts = accounts;
    this.absoluteLifetime = absoluteLifetime;
    this.clock = clock;
  }

  /** Wraps a login's success handler so the session knows when its login happened. */
  static AuthenticationSuccessHandler stampingLoginTime(
      Clock clock, AuthenticationSuccessHandler next) {
    return (request, response, authentication) -> {
      request.getSession().setAttribute(LOGGED_IN_AT, clock.instant());
      next.onAuthenticationSuccess(request, response, authentication);
    };
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    Authentication authentication =
        session == null ? null : contexts.getContext().getAuthentication();
    if (authentication != null
        && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken)) {
      String reason = reasonToEnd(session, authentication);
      if (reason != null) {
        log.info("Session of {} ended: {}", authentication.getName(), reason);
        session.invalidate();
        contexts.clearContext();
        if (isPage(request) && HttpMethod.GET.matches(request.getMethod())) {
          if (authentication instanceof OAuth2AuthenticationToken oidc) {
            // Straight back to the issuer: with its single sign-on the user barely notices, and the
            // new token's roles are mapped again. The page asked for is where they land afterwards.
            requestCache.saveRequest(request, response);
            response.sendRedirect(
                request.getContextPath()
                    + "/oauth2/authorization/"
                    + oidc.getAuthorizedClientRegistrationId());
          } else {
            response.sendRedirect(request.getContextPath() + "/login?expired");
          }
          return;
        }
        // The API and forms carry on unauthenticated: 401, or a refused form post.
      }
    }
    chain.doFilter(request, response);
  }

  private String reasonToEnd(HttpSession session, Authentication authentication) {
    Instant loggedInAt =
        session.getAttribute(LOGGED_IN_AT) instanceof Instant at
            ? at
            // A session without the stamp (none is made by our logins) counts from its creation.
            : Instant.ofEpochMilli(session.getCreationTime());
    if (!clock.instant().isBefore(loggedInAt.plus(absoluteLifetime))) {
      return "absolute lifetime of " + absoluteLifetime + " passed";
    }
    if (authentication.getPrincipal() instanceof LocalUser user) {
      var current = accounts.currentStamp(user.getUsername());
      if (current.isEmpty()) {
        return "account deleted";
      }
      if (!current.get().equals(user.stamp())) {
        return "password, role or enabled flag changed";
      }
    }
    return null;
  }

  private static boolean isPage(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !path.startsWith("/api/") && !path.equals("/events");
  }
}
