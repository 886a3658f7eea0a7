package jp.tcportal.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import jakarta.servlet.http.Cookie;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The JSON API and the server-rendered pages, over a real PostgreSQL with rows as the processor
 * writes them.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ApiAndPagesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "api_pages");
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;

  MonitorRows rows;
  final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
  UUID nightly;
  UUID sync;

  @BeforeEach
  void monitors() {
    jdbc.update("DELETE FROM task_monitors");
    rows = new MonitorRows(jdbc);
    sync =
        rows.monitor(
            "daily_sync",
            "日次同期",
            "python",
            "PC-02",
            "success",
            now.minusSeconds(30),
            0,
            "処理完了: 100件");
    nightly =
        rows.monitor(
            "nightly_import",
            "ナイトリー取込",
            "bat",
            "PC-01",
            "failed",
            now.minusSeconds(300),
            2,
            "取込に失敗しました: " + "接続がタイムアウトしました。".repeat(10));
  }

  @Test
  void badgeAnswersTheCountOfFailingMonitors() throws Exception {
    mvc.perform(get("/api/v1/incidents/badge").with(viewer()))
        .andExpect(status().isOk())
        .andExpect(content().json("{\"count\": 1}"));
  }

  @Test
  void incidentsApiListsFailingFirstInSnakeCase() throws Exception {
    mvc.perform(get("/api/v1/incidents").with(viewer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items", hasSize(2)))
        .andExpect(jsonPath("$.items[0].id").value(nightly.toString()))
        .andExpect(jsonPath("$.items[0].task_key").value("nightly_import"))
        .andExpect(jsonPath("$.items[0].task_name").value("ナイトリー取込"))
        .andExpect(jsonPath("$.items[0].machine_name").value("PC-01"))
        .andExpect(jsonPath("$.items[0].last_status").value("failed"))
        .andExpect(jsonPath("$.items[0].last_exit_code").value(2))
        .andExpect(jsonPath("$.items[0].last_finished_at").value(now.minusSeconds(300).toString()))
        .andExpect(jsonPath("$.items[1].task_key").value("daily_sync"))
        .andExpect(jsonPath("$.next_cursor").value(nullValue()));
  }

  @Test
  void incidentsApiFiltersAndPages() throws Exception {
    mvc.perform(get("/api/v1/incidents").param("kind", "python").with(viewer()))
        .andExpect(jsonPath("$.items", hasSize(1)))
        .andExpect(jsonPath("$.items[0].task_key").value("daily_sync"));

    MvcResult first =
        mvc.perform(get("/api/v1/incidents").param("limit", "1").with(viewer())).andReturn();
    String cursor = JsonPath.read(first.getResponse().getContentAsString(), "$.next_cursor");
    mvc.perform(get("/api/v1/incidents").param("limit", "1").param("before", cursor).with(viewer()))
        .andExpect(jsonPath("$.items[0].task_key").value("daily_sync"))
        .andExpect(jsonPath("$.next_cursor").value(nullValue()));
  }

  @Test
  void badRequestsAnswerInTheOneErrorShape() throws Exception {
    mvc.perform(get("/api/v1/incidents").param("status", "broken").with(viewer()))
        .andExpect(status().isBadRequest())
        .andExpect(content().json("{\"error\": \"status must be one of failed, success\"}"));
    mvc.perform(get("/api/v1/incidents").param("limit", "0").with(viewer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error").value("limit must be between 1 and 200"));
    mvc.perform(get("/api/v1/monitors/" + nightly + "/runs").param("before", "@@@").with(viewer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error").value("before is not a valid cursor"));
    mvc.perform(get("/api/v1/monitors/not-a-uuid").with(viewer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error").value("id must be a UUID"));
    mvc.perform(get("/api/v1/monitors/" + UUID.randomUUID()).with(viewer()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.error").value("Monitor not found"));
    mvc.perform(get("/api/v1/nothing-here").with(viewer()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.error").value("Not Found"));
    mvc.perform(
            patch("/api/v1/monitors/" + nightly)
                .with(admin())
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error").value("enabled is required and must be a boolean"));
    assertThat(rows.enabled(nightly)).isTrue();
  }

  @Test
  void monitorApiShowsStateAndRunsNewestFirst() throws Exception {
    rows.run(nightly, "success", now.minusSeconds(900), "古い成功");
    rows.run(nightly, "failed", now.minusSeconds(300), "新しい失敗");

    mvc.perform(get("/api/v1/monitors/" + nightly).with(viewer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.task_name").value("ナイトリー取込"))
        .andExpect(jsonPath("$.failing").value(true))
        .andExpect(jsonPath("$.failure_streak").value(1));
    mvc.perform(get("/api/v1/monitors/" + nightly + "/runs").param("limit", "1").with(viewer()))
        .andExpect(jsonPath("$.items", hasSize(1)))
        .andExpect(jsonPath("$.items[0].message").value("新しい失敗"))
        .andExpect(jsonPath("$.items[0].duration_ms").value(1500))
        .andExpect(jsonPath("$.next_cursor").isString());
  }

  @Test
  void incidentsPageShowsTheSpecColumnsFailingRowFirstAndTheBadge() throws Exception {
    String html =
        mvc.perform(get("/incidents").with(viewer()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(html)
        .contains("タスクキー", "タスク名", "種別", "マシン", "ステータス", "終了コード", "メッセージ", "最終実行")
        .contains("id=\"incident-badge\"")
        .contains("data-count=\"1\"")
        .contains("5分前")
        .contains("全文を表示");
    assertThat(html.indexOf("data-task-key=\"nightly_import\""))
        .isPositive()
        .isLessThan(html.indexOf("data-task-key=\"daily_sync\""));
    assertThat(html)
        .contains("data-monitor-id=\"" + nightly + "\"")
        .contains("data-status=\"failed\"");
  }

  @Test
  void badgeIsHiddenWhenNothingFails() throws Exception {
    jdbc.update("UPDATE task_monitors SET last_status = 'success'");

    mvc.perform(get("/incidents").with(viewer()))
        .andExpect(content().string(containsString("data-count=\"0\"")))
        .andExpect(content().string(containsString("hidden=\"hidden\"")));
  }

  @Test
  void englishIsOneClickAwayAndRemembered() throws Exception {
    mvc.perform(get("/incidents").param("lang", "en").with(viewer()))
        .andExpect(content().string(containsString("Last run")))
        .andExpect(content().string(containsString("5 minutes ago")))
        .andExpect(cookie().value("TCPORTAL_LANG", "en"));
    mvc.perform(get("/incidents").cookie(new Cookie("TCPORTAL_LANG", "en")).with(viewer()))
        .andExpect(content().string(containsString("Incidents")))
        .andExpect(content().string(not(containsString("最終実行"))));
  }

  @Test
  void absoluteTimesFollowTheViewersZone() throws Exception {
    mvc.perform(get("/incidents").with(viewer()))
        .andExpect(content().string(containsString("(Asia/Tokyo)")));
    mvc.perform(get("/incidents").cookie(new Cookie("TCPORTAL_TZ", "Europe/Berlin")).with(viewer()))
        .andExpect(content().string(containsString("(Europe/Berlin)")));
  }

  @Test
  void rowsFragmentKeepsTheFilters() throws Exception {
    String rowsHtml =
        mvc.perform(get("/incidents/rows").param("status", "success").with(viewer()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(rowsHtml)
        .startsWith("<tbody")
        .contains("daily_sync")
        .doesNotContain("nightly_import");
  }

  @Test
  void monitorPageShowsHistoryAndTheAdminToggle() throws Exception {
    rows.run(nightly, "failed", now.minusSeconds(300), "新しい失敗");

    mvc.perform(get("/monitors/" + nightly).with(viewer()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("実行履歴")))
        .andExpect(content().string(containsString("新しい失敗")))
        .andExpect(content().string(not(containsString("toggle-enabled"))));
    mvc.perform(get("/monitors/" + nightly).with(admin()))
        .andExpect(content().string(containsString("id=\"toggle-enabled\"")));
    mvc.perform(get("/monitors/" + UUID.randomUUID()).with(viewer()))
        .andExpect(status().isNotFound());
  }

  @Test
  void adminDisablesFromTheMonitorPage() throws Exception {
    mvc.perform(
            post("/monitors/" + nightly + "/enabled")
                .param("enabled", "false")
                .with(admin())
                .with(csrf()))
        .andExpect(redirectedUrl("/monitors/" + nightly));

    assertThat(rows.enabled(nightly)).isFalse();
    mvc.perform(get("/api/v1/incidents/badge").with(viewer()))
        .andExpect(jsonPath("$.count").value(0));
  }

  @Test
  void eventStreamStartsWithTheCurrentMarker() throws Exception {
    MvcResult result =
        mvc.perform(get("/events").accept(MediaType.TEXT_EVENT_STREAM).with(viewer()))
            .andExpect(request().asyncStarted())
            .andReturn();

    assertThat(result.getResponse().getContentAsString())
        .contains("event:change")
        .contains("\"count\":1");
  }

  @Test
  void openApiDocumentIsServed() throws Exception {
    mvc.perform(get("/api/v1/openapi.yaml"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("/api/v1/incidents/badge")));
  }

  static RequestPostProcessor viewer() {
    return user("viewer").roles("VIEWER");
  }

  static RequestPostProcessor admin() {
    return user("boss").roles("VIEWER", "ADMIN");
  }
}
