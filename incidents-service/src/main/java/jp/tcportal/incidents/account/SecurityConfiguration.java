package jp.tcportal.incidents.account;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
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

  @Bean
  @Order(1)
  SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
    http.securityMatcher("/api/**")
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
      IncidentsSettings settings)
      throws Exception {
    http.authorizeHttpRequests(
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
                    .anyRequest()
                    .hasRole("VIEWER"))
        .formLogin(
            form ->
                form.loginPage("/login")
                    .defaultSuccessUrl("/incidents", false)
                    .failureUrl("/login?error"))
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(pageEntryPoint()));
    ClientRegistrationRepository registrations = oidcRegistrations.getIfAvailable();
    if (registrations != null) {
      OidcRoles roles = new OidcRoles(settings.oidc());
      http.oauth2Login(
          oauth ->
              oauth
                  .loginPage("/login")
                  .defaultSuccessUrl("/incidents", false)
                  .failureUrl("/login?error")
                  .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUsers(roles))));
    }
    securityHeaders(http);
    return http.build();
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
