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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.UUID;
import jp.tcportal.incidents.MonitorRows;
import jp.tcportal.incidents.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
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

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;
  @Autowired LocalAccounts accounts;

  UUID failing;
  MonitorRows rows;

  @BeforeEach
  void oneFailingMonitor() {
    jdbc.update("DELETE FROM task_monitors");
    rows = new MonitorRows(jdbc);
    failing =
        rows.monitor("nightly_import", "ナイトリー取込", "bat", "PC-01", "failed", Instant.now(), 1, "x");
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

  static RequestPostProcessor viewer() {
    return user("viewer").roles("VIEWER");
  }

  static RequestPostProcessor admin() {
    return SecurityMockMvcRequestPostProcessors.user("boss").roles("VIEWER", "ADMIN");
  }
}
