package jp.tcportal.incidents.account;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Set;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Every page and API needs a login (spec 2.3: only authenticated users read). Two chains: the API
 * answers 401/403 as JSON and also takes HTTP Basic for scripts; the pages redirect to the login
 * form and offer OpenID Connect when an issuer is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

  /** Only our own files: no inline script or style, no framing, forms post only to us. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  private final JsonSecurityErrors jsonErrors = new JsonSecurityErrors();

  /** Local accounts (the form and HTTP Basic) with the login throttle in front of bcrypt. */
  @Bean
  AuthenticationProvider localAccountLogin(
      LocalAccounts accounts, PasswordEncoder passwordEncoder, LoginThrottle throttle) {
    DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(accounts);
    passwords.setPasswordEncoder(passwordEncoder);
    return new ThrottledAuthentication(passwords, throttle);
  }

  @Bean
  @Order(1)
  SecurityFilterChain apiSecurity(
      HttpSecurity http, LocalAccounts accounts, IncidentsSettings settings, Clock clock)
      throws Exception {
    http.securityMatcher("/api/**")
        .addFilterAfter(revalidation(accounts, settings, clock), SecurityContextHolderFilter.class)
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(HttpMethod.GET, "/api/v1/openapi.yaml")
                    .permitAll()
                    .requestMatchers(HttpMethod.PATCH, "/api/v1/monitors/*")
                    .hasRole("ADMIN")
                    .anyRequest()
                    .hasRole("VIEWER"))
        .httpBasic(basic -> basic.authenticationEntryPoint(jsonErrors))
        // A browser never sends an Authorization header on its own (we never ask it to), so a
        // request that carries one is a script, not a forged cross-site request.
        .csrf(
            csrf ->
                csrf.ignoringRequestMatchers(
                    request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null))
        .exceptionHandling(
            errors -> errors.authenticationEntryPoint(jsonErrors).accessDeniedHandler(jsonErrors));
    securityHeaders(http);
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain pageSecurity(
      HttpSecurity http,
      ObjectProvider<ClientRegistrationRepository> oidcRegistrations,
      IncidentsSettings settings,
      LocalAccounts accounts,
      Clock clock)
      throws Exception {
    http.addFilterAfter(revalidation(accounts, settings, clock), SecurityContextHolderFilter.class)
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/login",
                        "/css/**",
                        "/js/**",
                        "/images/**",
                        "/favicon.svg",
                        "/error",
                        "/actuator/health",
                        "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/admin/**")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.POST, "/monitors/*/enabled")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.POST, "/monitors/*/settings")
                    .hasRole("ADMIN")
                    .anyRequest()
                    .hasRole("VIEWER"))
        .formLogin(
            form ->
                form.loginPage("/login")
                    .successHandler(SessionRevalidation.stampingLoginTime(clock, toSavedRequest()))
                    .failureHandler(loginFailures()))
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(pageEntryPoint()));
    ClientRegistrationRepository registrations = oidcRegistrations.getIfAvailable();
    if (registrations != null) {
      OidcRoles roles = new OidcRoles(settings.oidc());
      http.oauth2Login(
          oauth ->
              oauth
                  .loginPage("/login")
                  .successHandler(SessionRevalidation.stampingLoginTime(clock, toSavedRequest()))
                  .failureUrl("/login?error")
                  .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUsers(roles))));
    }
    securityHeaders(http);
    return http.build();
  }

  private static SessionRevalidation revalidation(
      LocalAccounts accounts, IncidentsSettings settings, Clock clock) {
    return new SessionRevalidation(accounts, settings.session().absoluteLifetime(), clock);
  }

  /** After login: the page that asked for it, else the incidents list. */
  private static SavedRequestAwareAuthenticationSuccessHandler toSavedRequest() {
    SavedRequestAwareAuthenticationSuccessHandler handler =
        new SavedRequestAwareAuthenticationSuccessHandler();
    handler.setDefaultTargetUrl("/incidents");
    return handler;
  }

  /**
   * A throttled login says so (the same for every name, so it reveals none); others say "wrong".
   */
  private static AuthenticationFailureHandler loginFailures() {
    return (request, response, e) ->
        response.sendRedirect(
            request.getContextPath()
                + (e instanceof ThrottledAuthentication.LoginThrottledException
                    ? "/login?throttled"
                    : "/login?error"));
  }

  /** Pages go to the login form; the event stream, read by script, gets a plain 401. */
  private AuthenticationEntryPoint pageEntryPoint() {
    LoginUrlAuthenticationEntryPoint loginForm = new LoginUrlAuthenticationEntryPoint("/login");
    return (request, response, e) -> {
      if (isEventStream(request)) {
        jsonErrors.commence(request, response, e);
      } else {
        loginForm.commence(request, response, e);
      }
    };
  }

  private static boolean isEventStream(HttpServletRequest request) {
    return "/events".equals(request.getRequestURI().substring(request.getContextPath().length()));
  }

  private static OAuth2UserService<OidcUserRequest, OidcUser> oidcUsers(OidcRoles roles) {
    OidcUserService delegate = new OidcUserService();
    return request -> {
      OidcUser user = delegate.loadUser(request);
      Set<GrantedAuthority> authorities =
          roles.authorities(user.getClaims(), user.getAuthorities());
      String nameClaim =
          user.getClaims().containsKey("preferred_username") ? "preferred_username" : "sub";
      return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameClaim);
    };
  }

  private static void securityHeaders(HttpSecurity http) throws Exception {
    http.headers(
        headers ->
            headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
  }
}
