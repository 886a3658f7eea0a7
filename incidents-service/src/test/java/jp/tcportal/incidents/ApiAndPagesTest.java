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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
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
  void forgedCursorsAreBadRequestsInTheErrorShapeNeverServerErrors() throws Exception {
    String id = UUID.randomUUID().toString();
    List<String> incidentCursors =
        new ArrayList<>(
            List.of(
                encode("1|9223372036854775807|" + id),
                encode("1|-9223372036854775808|" + id),
                encode("0|9000000000000000000|" + id),
                encode("1|99999999999999999999999|" + id),
                encode("1|1e10|" + id),
                encode("2|0|" + id),
                encode("1|0|not-a-uuid"),
                encode("1|0|" + id + "|extra"),
                encode("1|0"),
                encode("||"),
                "!!!",
                "a",
                "AAAA====",
                Base64.getUrlEncoder()
                    .encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7c})));
    List<String> runCursors =
        new ArrayList<>(
            List.of(
                encode("9223372036854775807|" + id),
                encode("-9223372036854775807|" + id),
                encode("-|" + id),
                encode("0|00000000-0000-0000-0000-00000000000g"),
                "%%%"));
    Random random = new Random(11);
    for (int i = 0; i < 60; i++) {
      String micros = Long.toString(random.nextLong());
      incidentCursors.add(encode(random.nextInt(3) + "|" + micros + "|" + id));
      runCursors.add(encode(micros + "|" + id));
      byte[] noise = new byte[random.nextInt(40)];
      random.nextBytes(noise);
      incidentCursors.add(Base64.getUrlEncoder().withoutPadding().encodeToString(noise));
    }

    for (String cursor : incidentCursors) {
      expectOkOrBadCursor(get("/api/v1/incidents").param("before", cursor));
    }
    for (String cursor : runCursors) {
      expectOkOrBadCursor(get("/api/v1/monitors/" + nightly + "/runs").param("before", cursor));
    }
    mvc.perform(get("/api/v1/incidents").param("before", incidentCursors.get(0)).with(viewer()))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/incidents").param("before", incidentCursors.get(0)).with(viewer()))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/monitors/" + nightly).param("before", runCursors.get(0)).with(viewer()))
        .andExpect(status().isBadRequest());
  }

  @Test
  void cursorsAtTheEdgesOfTheDatabasesTimeRangeAreStillAnswered() throws Exception {
    // A row dated after 2262 must still get a next_cursor (it once overflowed while encoding).
    rows.monitor(
        "far_future",
        "遠い未来",
        "bat",
        "PC-FAR",
        "success",
        Instant.parse("3000-01-01T00:00:00Z"),
        0,
        "ok");
    rows.monitor(
        "far_future",
        "遠い未来",
        "bat",
        "PC-FAR2",
        "success",
        Instant.parse("3001-01-01T00:00:00Z"),
        0,
        "ok");
    String farCursor =
        JsonPath.read(
            mvc.perform(
                    get("/api/v1/incidents")
                        .param("machine", "PC-FAR")
                        .param("limit", "1")
                        .with(viewer()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(),
            "$.next_cursor");
    mvc.perform(
            get("/api/v1/incidents")
                .param("machine", "PC-FAR")
                .param("limit", "1")
                .param("before", farCursor)
                .with(viewer()))
        .andExpect(jsonPath("$.items[0].machine_name").value("PC-FAR"));
    String id = UUID.randomUUID().toString();
    for (String edge : List.of("-4712-01-01T00:00:00Z", "+294000-01-01T00:00:00Z")) {
      Instant instant = Instant.parse(edge);
      long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
      mvc.perform(
              get("/api/v1/incidents")
                  .param("before", encode("1|" + micros + "|" + id))
                  .with(viewer()))
          .andExpect(status().isOk());
      mvc.perform(
              get("/api/v1/monitors/" + nightly + "/runs")
                  .param("before", encode(micros + "|" + id))
                  .with(viewer()))
          .andExpect(status().isOk());
    }
  }

  @Test
  void aReportDatedInTheFutureIsShownAsFutureWithAWarning() throws Exception {
    rows.monitor(
        "clock_ahead",
        "時計が進んだPC",
        "bat",
        "PC-2099",
        "success",
        Instant.parse("2099-01-01T00:00:00Z"),
        0,
        "ok");
    UUID ahead =
        JsonPath.<List<String>>read(
                mvc.perform(get("/api/v1/incidents").param("machine", "PC-2099").with(viewer()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString(),
                "$.items[*].id")
            .stream()
            .map(UUID::fromString)
            .findFirst()
            .orElseThrow();

    mvc.perform(get("/incidents").param("machine", "PC-2099").with(viewer()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("未来の時刻 (2099-01-01 09:00)")))
        .andExpect(content().string(containsString("future-time")))
        .andExpect(content().string(containsString("title=\"2099-01-01 09:00:00 (Asia/Tokyo)\"")))
        .andExpect(content().string(not(containsString("たった今"))));
    mvc.perform(get("/monitors/" + ahead).with(viewer()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("未来の時刻 (2099-01-01 09:00)")))
        .andExpect(content().string(containsString("future-time")));
  }

  private void expectOkOrBadCursor(
      org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
      throws Exception {
    MvcResult result = mvc.perform(request.with(viewer())).andReturn();
    int status = result.getResponse().getStatus();
    assertThat(status)
        .as("%s?%s", result.getRequest().getRequestURI(), result.getRequest().getQueryString())
        .isIn(200, 400);
    if (status == 400) {
      assertThat(JsonPath.<String>read(result.getResponse().getContentAsString(), "$.error"))
          .isEqualTo("before is not a valid cursor");
    }
  }

  private static String encode(String cursor) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
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
