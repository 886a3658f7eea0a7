package jp.tcportal.incidents.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.incidents.MonitorRows;
import jp.tcportal.incidents.MovableClock;
import jp.tcportal.incidents.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Who may do what: spec 2.3 (only authenticated users read), roles, CSRF and headers. */
@SpringBootTest(properties = "tcportal.incidents.admin-password=correct-horse-battery")
@AutoConfigureMockMvc
class SecurityTest {

  static final String ADMIN_PASSWORD = "correct-horse-battery";

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "security");
  }

  /** Sessions and the login throttle read this clock; tests move it forward. */
  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock();
    }
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;
  @Autowired LocalAccounts accounts;
  @Autowired MovableClock clock;

  UUID failing;
  MonitorRows rows;

  @BeforeEach
  void oneFailingMonitor() {
    jdbc.update("DELETE FROM task_monitors");
    rows = new MonitorRows(jdbc);
    failing =
        rows.monitor("nightly_import", "ナイトリー取込", "bat", "PC-01", "failed", Instant.now(), 1, "x");
  }

  @AfterEach
  void clockBackToNow() {
    clock.reset();
  }

  @Test
  void anonymousPageVisitIsSentToTheLoginPage() throws Exception {
    mvc.perform(get("/incidents")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
    mvc.perform(get("/monitors/" + failing))
        .andExpect(status().isFound())
        .andExpect(redirectedUrl("/login"));
  }

  @Test
  void anonymousApiCallGets401InTheErrorShape() throws Exception {
    for (String path :
        new String[] {
          "/api/v1/incidents", "/api/v1/incidents/badge", "/api/v1/monitors/" + failing
        }) {
      mvc.perform(get(path))
          .andExpect(status().isUnauthorized())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
          .andExpect(jsonPath("$.error").value("Authentication required"));
    }
  }

  @Test
  void anonymousEventStreamGets401() throws Exception {
    mvc.perform(get("/events").accept(MediaType.TEXT_EVENT_STREAM))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void loginPageIsJapaneseFirstAndOpenToEveryone() throws Exception {
    mvc.perform(get("/login"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("ログイン")))
        .andExpect(content().string(containsString("name=\"_csrf\"")));
  }

  @Test
  void givesANewSessionAtLoginSoAPlantedSessionIdIsWorthless() throws Exception {
    org.springframework.mock.web.MockHttpSession planted =
        new org.springframework.mock.web.MockHttpSession();
    String plantedId = planted.getId();
    org.springframework.test.web.servlet.MvcResult login =
        mvc.perform(
                post("/login")
                    .session(planted)
                    .param("username", "admin")
                    .param("password", ADMIN_PASSWORD)
                    .with(csrf()))
            .andExpect(redirectedUrl("/incidents"))
            .andReturn();
    assertThat(login.getRequest().getSession(false)).isNotNull();
    assertThat(login.getRequest().getSession(false).getId()).isNotEqualTo(plantedId);
  }

  @Test
  void adminFromEnvironmentLogsInAndItsPasswordIsStoredHashed() throws Exception {
    mvc.perform(formLogin("/login").user("admin").password(ADMIN_PASSWORD))
        .andExpect(redirectedUrl("/incidents"));
    mvc.perform(formLogin("/login").user("admin").password("wrong-password"))
        .andExpect(redirectedUrl("/login?error"));

    String hash =
        jdbc.queryForObject(
            "SELECT password_hash FROM tcportal_users WHERE username = 'admin'", String.class);
    assertThat(hash).startsWith("{bcrypt}").doesNotContain(ADMIN_PASSWORD);
    assertThat(
            jdbc.queryForObject(
                "SELECT role FROM tcportal_users WHERE username = 'admin'", String.class))
        .isEqualTo("ADMIN");
  }

  @Test
  void viewerCannotDisableAMonitor() throws Exception {
    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(viewer())
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.error").value("Forbidden: admins only"));
    mvc.perform(
            post("/monitors/" + failing + "/enabled")
                .param("enabled", "false")
                .with(viewer())
                .with(csrf()))
        .andExpect(status().isForbidden());

    assertThat(rows.enabled(failing)).isTrue();
  }

  @Test
  void adminDisablesAMonitorAndTheBadgeDropsIt() throws Exception {
    mvc.perform(get("/api/v1/incidents/badge").with(viewer()))
        .andExpect(jsonPath("$.count").value(1));

    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(admin())
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.enabled").value(false))
        .andExpect(jsonPath("$.failing").value(false));

    assertThat(rows.enabled(failing)).isFalse();
    mvc.perform(get("/api/v1/incidents/badge").with(viewer()))
        .andExpect(jsonPath("$.count").value(0));
  }

  @Test
  void sessionPatchWithoutCsrfTokenIsRefused() throws Exception {
    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(admin())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.error").value("Missing or invalid CSRF token"));

    assertThat(rows.enabled(failing)).isTrue();
  }

  @Test
  void formPostWithoutCsrfTokenIsRefused() throws Exception {
    mvc.perform(post("/monitors/" + failing + "/enabled").param("enabled", "false").with(admin()))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/admin/users")
                .param("username", "intruder")
                .param("password", "long-enough-password")
                .with(admin()))
        .andExpect(status().isForbidden());

    assertThat(rows.enabled(failing)).isTrue();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM tcportal_users WHERE username = 'intruder'", Integer.class))
        .isZero();
  }

  @Test
  void adminCreatesAViewerWhoCanReadButNotChange() throws Exception {
    mvc.perform(
            post("/admin/users")
                .param("username", "operator")
                .param("password", "viewer-password-1")
                .param("role", "VIEWER")
                .with(admin())
                .with(csrf()))
        .andExpect(redirectedUrl("/admin/users"));

    assertThat(
            jdbc.queryForObject(
                "SELECT role FROM tcportal_users WHERE username = 'operator'", String.class))
        .isEqualTo("VIEWER");
    mvc.perform(get("/api/v1/incidents/badge").with(httpBasic("operator", "viewer-password-1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.count").value(1));
    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(httpBasic("operator", "viewer-password-1"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isForbidden());
    mvc.perform(get("/admin/users").with(viewer())).andExpect(status().isForbidden());
  }

  @Test
  void scriptsUseBasicAuthWithoutCsrfToken() throws Exception {
    mvc.perform(
            patch("/api/v1/monitors/" + failing)
                .with(httpBasic("admin", ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isOk());

    assertThat(rows.enabled(failing)).isFalse();
    mvc.perform(get("/api/v1/incidents").with(httpBasic("admin", "wrong")))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.error").value("Authentication required"));
  }

  @Test
  void refusesTooShortPasswordsOnTheAdminPage() throws Exception {
    mvc.perform(
            post("/admin/users")
                .param("username", "shorty")
                .param("password", "short")
                .with(admin())
                .with(csrf()))
        .andExpect(redirectedUrl("/admin/users"));

    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM tcportal_users WHERE username = 'shorty'", Integer.class))
        .isZero();
  }

  @Test
  void pagesCarrySecurityHeaders() throws Exception {
    mvc.perform(get("/incidents").with(viewer()))
        .andExpect(status().isOk())
        .andExpect(
            header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
        .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
        .andExpect(header().string("X-Content-Type-Options", "nosniff"))
        .andExpect(header().string("X-Frame-Options", "DENY"))
        .andExpect(header().string("Referrer-Policy", "same-origin"));
    mvc.perform(get("/api/v1/incidents/badge").with(viewer()))
        .andExpect(header().string("X-Content-Type-Options", "nosniff"))
        .andExpect(
            header().string("Content-Security-Policy", containsString("default-src 'self'")));
  }

  @Test
  void healthIsOpenForProbes() throws Exception {
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));
  }

  // --- Sessions end with their grounds -----------------------------------------------------

  @Test
  void sessionEndsWhenItsAccountIsDeleted() throws Exception {
    accounts.save("leaver", "leaver-password-1", Role.VIEWER);
    MockHttpSession page = login("leaver", "leaver-password-1");
    MockHttpSession api = login("leaver", "leaver-password-1");
    mvc.perform(get("/incidents").session(page)).andExpect(status().isOk());
    mvc.perform(get("/api/v1/incidents/badge").session(api)).andExpect(status().isOk());

    accounts.delete("leaver");

    mvc.perform(get("/incidents").session(page)).andExpect(redirectedUrl("/login?expired"));
    mvc.perform(get("/api/v1/incidents/badge").session(api))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.error").value("Authentication required"));
  }

  @Test
  void demotedAdminsSessionEndsAndTheirAdminActionIsRefused() throws Exception {
    accounts.save("second-admin", "second-admin-password", Role.ADMIN);
    MockHttpSession session = login("second-admin", "second-admin-password");
    mvc.perform(get("/admin/users").session(session)).andExpect(status().isOk());

    accounts.save("second-admin", "second-admin-password", Role.VIEWER);

    mvc.perform(
            post("/admin/users")
                .session(session)
                .param("username", "made-by-demoted")
                .param("password", "long-enough-password")
                .with(csrf()))
        .andExpect(redirectedUrl("/login"));
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM tcportal_users WHERE username = 'made-by-demoted'",
                Integer.class))
        .isZero();
    assertThat(session.isInvalid()).isTrue();
  }

  @Test
  void sessionEndsWhenItsPasswordIsChangedButNotWhenTheSamePasswordIsSetAgain() throws Exception {
    accounts.save("rotator", "rotator-password-1", Role.VIEWER);
    MockHttpSession session = login("rotator", "rotator-password-1");

    // The operator's start-up re-applies an unchanged password: nothing changed, nobody is logged
    // out.
    accounts.saveFromOperator("rotator", "rotator-password-1", Role.VIEWER);
    mvc.perform(get("/incidents").session(session)).andExpect(status().isOk());

    accounts.save("rotator", "rotator-password-2", Role.VIEWER);
    mvc.perform(get("/incidents").session(session)).andExpect(redirectedUrl("/login?expired"));
    mvc.perform(get("/login").param("expired", "").locale(java.util.Locale.JAPANESE))
        .andExpect(content().string(containsString("セッションが終了しました")));
  }

  @Test
  void sessionEndsAtItsAbsoluteLifetimeEvenWhileInUse() throws Exception {
    accounts.save("marathon", "marathon-password-1", Role.VIEWER);
    MockHttpSession session = login("marathon", "marathon-password-1");
    // Active all along: the idle timeout (8 h) never fires, the absolute lifetime (12 h) does.
    for (Duration step : List.of(Duration.ofHours(6), Duration.ofHours(5).plusMinutes(59))) {
      clock.advance(step);
      mvc.perform(get("/api/v1/incidents/badge").session(session)).andExpect(status().isOk());
    }

    clock.advance(Duration.ofMinutes(1));

    mvc.perform(get("/incidents").session(session)).andExpect(redirectedUrl("/login?expired"));
  }

  @Test
  void openIdConnectSessionEndsAtItsAbsoluteLifetimeSoRolesAreReadAgainAtTheIssuer()
      throws Exception {
    MockHttpSession session = oidcSession(clock.instant());
    mvc.perform(get("/incidents").session(session)).andExpect(status().isOk());

    clock.advance(Duration.ofHours(12));

    // Back to the issuer at once, which signs them in again with a fresh token (and its roles).
    MvcResult ended =
        mvc.perform(get("/monitors/" + failing).session(session))
            .andExpect(redirectedUrl("/oauth2/authorization/oidc"))
            .andReturn();
    assertThat(session.isInvalid()).isTrue();
    // After the issuer, they land on the page they asked for.
    MockHttpSession next = (MockHttpSession) ended.getRequest().getSession(false);
    assertThat(next).isNotNull();
    assertThat(
            new org.springframework.security.web.savedrequest.HttpSessionRequestCache()
                .getRequest(ended.getRequest(), ended.getResponse())
                .getRedirectUrl())
        .contains("/monitors/" + failing);
  }

  // --- Login throttle and bcrypt's 72 bytes ------------------------------------------------

  @Test
  void fiveFailuresForOneAccountRefuseEvenTheRightPasswordUntilTheWindowPasses() throws Exception {
    accounts.save("guessed", "guessed-password-1", Role.VIEWER);
    for (int i = 1; i <= 5; i++) {
      mvc.perform(loginForm("guessed", "wrong-" + i, "10.1.0." + i))
          .andExpect(redirectedUrl("/login?error"));
    }

    mvc.perform(loginForm("guessed", "guessed-password-1", "10.1.0.6"))
        .andExpect(redirectedUrl("/login?throttled"));
    mvc.perform(get("/login").param("throttled", "").locale(java.util.Locale.JAPANESE))
        .andExpect(content().string(containsString("しばらくしてから再度お試しください")));

    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    mvc.perform(loginForm("guessed", "guessed-password-1", "10.1.0.7"))
        .andExpect(redirectedUrl("/incidents"));
  }

  @Test
  void oneAddressIsThrottledAcrossNamesAndTheAnswerIsTheSameForNamesThatDoNotExist()
      throws Exception {
    accounts.save("sprayed", "sprayed-password-1", Role.VIEWER);
    for (int i = 1; i <= 20; i++) {
      mvc.perform(loginForm("nobody-" + i, "password-" + i, "10.2.0.1"))
          .andExpect(redirectedUrl("/login?error"));
    }

    mvc.perform(loginForm("sprayed", "sprayed-password-1", "10.2.0.1"))
        .andExpect(redirectedUrl("/login?throttled"));
    mvc.perform(loginForm("nobody-at-all", "whatever", "10.2.0.1"))
        .andExpect(redirectedUrl("/login?throttled"));
    mvc.perform(loginForm("sprayed", "sprayed-password-1", "10.2.0.2"))
        .andExpect(redirectedUrl("/incidents"));
  }

  @Test
  void basicAuthIsThrottledToo() throws Exception {
    accounts.save("scripted", "scripted-password-1", Role.VIEWER);
    for (int i = 1; i <= 5; i++) {
      mvc.perform(
              get("/api/v1/incidents/badge")
                  .with(httpBasic("scripted", "wrong-" + i))
                  .with(from("10.3.0." + i)))
          .andExpect(status().isUnauthorized());
    }

    mvc.perform(
            get("/api/v1/incidents/badge")
                .with(httpBasic("scripted", "scripted-password-1"))
                .with(from("10.3.0.9")))
        .andExpect(status().isTooManyRequests())
        .andExpect(jsonPath("$.error").value("Too many failed logins, try again later"));
  }

  @Test
  void overlongPasswordAtLoginIsAFailedLoginNotAServerError() throws Exception {
    String overlong = "あ".repeat(30); // 90 bytes in UTF-8
    mvc.perform(loginForm("admin", overlong, "10.4.0.1")).andExpect(redirectedUrl("/login?error"));
    mvc.perform(
            get("/api/v1/incidents/badge")
                .with(httpBasic("admin", "x".repeat(100)))
                .with(from("10.4.0.2")))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.error").value("Authentication required"));
  }

  @Test
  void overlongPasswordOnTheAdminPageGetsAClearMessage() throws Exception {
    String overlong = "パスワード".repeat(5); // 25 characters, 75 bytes
    assertThat(overlong.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(72);
    mvc.perform(
            post("/admin/users")
                .param("username", "longpass")
                .param("password", overlong)
                .with(admin())
                .with(csrf()))
        .andExpect(redirectedUrl("/admin/users"))
        .andExpect(flash().attribute("problem", "account.passwordTooLong"));
    mvc.perform(
            get("/admin/users")
                .with(admin())
                .flashAttr("problem", "account.passwordTooLong")
                .locale(java.util.Locale.JAPANESE))
        .andExpect(content().string(containsString("パスワードは72バイト以内")));

    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM tcportal_users WHERE username = 'longpass'", Integer.class))
        .isZero();
  }

  private MockHttpSession login(String username, String password) throws Exception {
    return (MockHttpSession)
        mvc.perform(loginForm(username, password, "10.0.0.1"))
            .andExpect(redirectedUrl("/incidents"))
            .andReturn()
            .getRequest()
            .getSession(false);
  }

  private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder
      loginForm(String username, String password, String address) {
    return post("/login")
        .param("username", username)
        .param("password", password)
        .with(csrf())
        .with(from(address));
  }

  private static RequestPostProcessor from(String address) {
    return request -> {
      request.setRemoteAddr(address);
      return request;
    };
  }

  /** A session as Spring's OpenID Connect login leaves it. */
  private static MockHttpSession oidcSession(Instant loggedInAt) {
    OidcIdToken idToken =
        new OidcIdToken(
            "token",
            loggedInAt,
            loggedInAt.plusSeconds(3600),
            Map.of("sub", "entra-user", "iss", "https://issuer.example", "roles", List.of()));
    DefaultOidcUser user =
        new DefaultOidcUser(List.of(new SimpleGrantedAuthority("ROLE_VIEWER")), idToken);
    MockHttpSession session = new MockHttpSession();
    session.setAttribute(
        HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
        new SecurityContextImpl(
            new OAuth2AuthenticationToken(user, user.getAuthorities(), "oidc")));
    session.setAttribute(SessionRevalidation.LOGGED_IN_AT, loggedInAt);
    return session;
  }

  static RequestPostProcessor viewer() {
    return user("viewer").roles("VIEWER");
  }

  static RequestPostProcessor admin() {
    return SecurityMockMvcRequestPostProcessors.user("boss").roles("VIEWER", "ADMIN");
  }
}
