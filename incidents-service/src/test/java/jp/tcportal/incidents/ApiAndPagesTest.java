package jp.tcportal.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
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
        .andExpect(
            jsonPath("$.error")
                .value(
                    "Request body must set enabled (a boolean) or a setting: schedule,"
                        + " grace_seconds, max_runtime_seconds, failure_threshold,"
                        + " recovery_threshold"));
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

  /** Issue 13's monitor settings: the admin API, the monitor page's form and its preview. */
  @Nested
  class MonitorSettings {

    @Test
    void patchStoresACronScheduleGivenWithAWindowsZoneAsItsIanaIdAndGetShowsIt() throws Exception {
      String body =
          """
          {"schedule": {"type": "cron", "cron": "30 2 * * *", "time_zone": "W. Europe Standard Time"},
           "grace_seconds": 900, "max_runtime_seconds": 7200, "failure_threshold": 3,
           "recovery_threshold": 2}
          """;
      mvc.perform(patchSettings(body).with(admin()))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.schedule.type").value("cron"))
          .andExpect(jsonPath("$.schedule.time_zone").value("Europe/Berlin"))
          .andExpect(jsonPath("$.enabled").value(true));

      assertThat(
              jdbc.queryForMap(
                  "SELECT schedule_type, schedule_interval_seconds, schedule_cron,"
                      + " schedule_time_zone, grace_seconds, max_runtime_seconds,"
                      + " failure_threshold, recovery_threshold FROM task_monitors WHERE id = ?",
                  nightly))
          .containsEntry("schedule_type", "cron")
          .containsEntry("schedule_interval_seconds", null)
          .containsEntry("schedule_cron", "30 2 * * *")
          .containsEntry("schedule_time_zone", "Europe/Berlin")
          .containsEntry("grace_seconds", 900)
          .containsEntry("max_runtime_seconds", 7200)
          .containsEntry("failure_threshold", 3)
          .containsEntry("recovery_threshold", 2);
      mvc.perform(get("/api/v1/monitors/" + nightly).with(viewer()))
          .andExpect(status().isOk())
          .andExpect(
              content()
                  .json(
                      """
                      {"schedule": {"type": "cron", "interval_seconds": null, "cron": "30 2 * * *",
                        "time_zone": "Europe/Berlin"},
                       "grace_seconds": 900, "max_runtime_seconds": 7200, "failure_threshold": 3,
                       "recovery_threshold": 2}
                      """));
    }

    @Test
    void getShowsTheDefaultsOfAMonitorNobodyConfigured() throws Exception {
      mvc.perform(get("/api/v1/monitors/" + sync).with(viewer()))
          .andExpect(status().isOk())
          .andExpect(
              content()
                  .json(
                      """
                      {"schedule": {"type": "none", "interval_seconds": null, "cron": null,
                        "time_zone": "Asia/Tokyo"},
                       "grace_seconds": 600, "max_runtime_seconds": null, "failure_threshold": 1,
                       "recovery_threshold": 1}
                      """))
          .andExpect(jsonPath("$.state").doesNotExist())
          .andExpect(jsonPath("$.next_deadline_at").doesNotExist())
          .andExpect(jsonPath("$.open_incident").doesNotExist());
    }

    @Test
    void eachBadFieldIsRefusedWith400NamingTheFieldAndItsRangeAndNothingChanges() throws Exception {
      Map<String, String> refused = new LinkedHashMap<>();
      refused.put(
          "{\"schedule\": {\"type\": \"weekly\"}}",
          "schedule.type must be one of: none, interval, cron");
      refused.put(
          "{\"schedule\": {\"type\": \"interval\", \"interval_seconds\": 59}}",
          "schedule.interval_seconds must be an integer from 60 to 2678400");
      refused.put(
          "{\"schedule\": {\"type\": \"interval\", \"interval_seconds\": 2678401}}",
          "schedule.interval_seconds must be an integer from 60 to 2678400");
      refused.put("{\"grace_seconds\": 29}", "grace_seconds must be an integer from 30 to 604800");
      refused.put(
          "{\"grace_seconds\": 604801}", "grace_seconds must be an integer from 30 to 604800");
      refused.put(
          "{\"grace_seconds\": \"600\"}", "grace_seconds must be an integer from 30 to 604800");
      refused.put(
          "{\"max_runtime_seconds\": 29}",
          "max_runtime_seconds must be null (no limit) or an integer from 30 to 2419200");
      refused.put(
          "{\"max_runtime_seconds\": 2419201}",
          "max_runtime_seconds must be null (no limit) or an integer from 30 to 2419200");
      refused.put(
          "{\"failure_threshold\": 0}", "failure_threshold must be an integer from 1 to 100");
      refused.put(
          "{\"recovery_threshold\": 101}", "recovery_threshold must be an integer from 1 to 100");
      // With enabled beside it: a bad setting leaves enabled unchanged too.
      refused.put(
          "{\"enabled\": false, \"failure_threshold\": 1.5}",
          "failure_threshold must be an integer from 1 to 100");
      refused.put("{\"enabled\": \"no\"}", "enabled must be a boolean");
      for (Map.Entry<String, String> each : refused.entrySet()) {
        mvc.perform(patchSettings(each.getKey()).with(admin()))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.error").value(each.getValue()));
      }
      mvc.perform(
              patchSettings("{\"schedule\": {\"type\": \"cron\", \"cron\": \"61 * * * *\"}}")
                  .with(admin()))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.error", startsWith("schedule.cron ")));
      mvc.perform(
              patchSettings(
                      "{\"schedule\": {\"type\": \"cron\", \"cron\": \"0 * * * *\","
                          + " \"time_zone\": \"+09:00\"}}")
                  .with(admin()))
          .andExpect(status().isBadRequest())
          .andExpect(
              jsonPath("$.error", startsWith("schedule.time_zone must be an IANA time zone")));

      assertThat(rows.enabled(nightly)).isTrue();
      mvc.perform(get("/api/v1/monitors/" + nightly).with(viewer()))
          .andExpect(jsonPath("$.schedule.type").value("none"))
          .andExpect(jsonPath("$.grace_seconds").value(600))
          .andExpect(jsonPath("$.failure_threshold").value(1));
    }

    @Test
    void anAbsentFieldKeepsItsValueAndNullResetsItToTheDefault() throws Exception {
      mvc.perform(
              patchSettings(
                      "{\"schedule\": {\"type\": \"interval\", \"interval_seconds\": 3600},"
                          + " \"grace_seconds\": 900, \"max_runtime_seconds\": 60,"
                          + " \"failure_threshold\": 3}")
                  .with(admin()))
          .andExpect(status().isOk());

      mvc.perform(patchSettings("{\"recovery_threshold\": 2}").with(admin()))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.schedule.type").value("interval"))
          .andExpect(jsonPath("$.schedule.interval_seconds").value(3600))
          .andExpect(jsonPath("$.grace_seconds").value(900))
          .andExpect(jsonPath("$.max_runtime_seconds").value(60))
          .andExpect(jsonPath("$.failure_threshold").value(3))
          .andExpect(jsonPath("$.recovery_threshold").value(2));

      mvc.perform(
              patchSettings(
                      "{\"schedule\": null, \"grace_seconds\": null, \"max_runtime_seconds\": null,"
                          + " \"failure_threshold\": null}")
                  .with(admin()))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.schedule.type").value("none"))
          .andExpect(jsonPath("$.schedule.interval_seconds").value(nullValue()))
          .andExpect(jsonPath("$.grace_seconds").value(600))
          .andExpect(jsonPath("$.max_runtime_seconds").value(nullValue()))
          .andExpect(jsonPath("$.failure_threshold").value(1))
          .andExpect(jsonPath("$.recovery_threshold").value(2));
    }

    @Test
    void viewersCannotChangeSettingsThroughTheApiOrTheForm() throws Exception {
      mvc.perform(patchSettings("{\"grace_seconds\": 900}").with(viewer()))
          .andExpect(status().isForbidden())
          .andExpect(jsonPath("$.error").value("Forbidden: admins only"));
      mvc.perform(
              post("/monitors/" + nightly + "/settings")
                  .param("type", "none")
                  .param("graceSeconds", "900")
                  .with(viewer())
                  .with(csrf()))
          .andExpect(status().isForbidden());
      mvc.perform(get("/monitors/" + nightly).with(viewer()))
          .andExpect(status().isOk())
          .andExpect(content().string(not(containsString("id=\"save-settings\""))))
          .andExpect(content().string(containsString("<fieldset disabled=\"disabled\">")));

      assertThat(
              jdbc.queryForObject(
                  "SELECT grace_seconds FROM task_monitors WHERE id = ?", Integer.class, nightly))
          .isEqualTo(600);
    }

    @Test
    void theFormAndTheSessionPatchWithoutACsrfTokenAreRefused() throws Exception {
      mvc.perform(
              post("/monitors/" + nightly + "/settings")
                  .param("type", "none")
                  .param("graceSeconds", "900")
                  .with(admin()))
          .andExpect(status().isForbidden());
      mvc.perform(
              patch("/api/v1/monitors/" + nightly)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content("{\"grace_seconds\": 900}")
                  .with(admin()))
          .andExpect(status().isForbidden())
          .andExpect(jsonPath("$.error").value("Missing or invalid CSRF token"));

      assertThat(
              jdbc.queryForObject(
                  "SELECT grace_seconds FROM task_monitors WHERE id = ?", Integer.class, nightly))
          .isEqualTo(600);
    }

    @Test
    void theFormSavesTheSettingsAndThePageShowsTheNextFiveRunsWithTheirDstNote() throws Exception {
      // Sundays in March at 02:30 in Berlin: the last one falls into the spring-forward gap and is
      // always among the next five, whatever today's date.
      mvc.perform(
              post("/monitors/" + nightly + "/settings")
                  .param("type", "cron")
                  .param("intervalSeconds", "")
                  .param("cron", "30 2 * 3 0")
                  .param("timeZone", "W. Europe Standard Time")
                  .param("graceSeconds", "900")
                  .param("maxRuntimeSeconds", "")
                  .param("failureThreshold", "3")
                  .param("recoveryThreshold", "")
                  .with(admin())
                  .with(csrf()))
          .andExpect(redirectedUrl("/monitors/" + nightly));

      mvc.perform(get("/api/v1/monitors/" + nightly).with(viewer()))
          .andExpect(jsonPath("$.schedule.cron").value("30 2 * 3 0"))
          .andExpect(jsonPath("$.schedule.time_zone").value("Europe/Berlin"))
          .andExpect(jsonPath("$.grace_seconds").value(900))
          .andExpect(jsonPath("$.max_runtime_seconds").value(nullValue()))
          .andExpect(jsonPath("$.failure_threshold").value(3))
          .andExpect(jsonPath("$.recovery_threshold").value(1));
      String page =
          mvc.perform(get("/monitors/" + nightly).with(admin()))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString(StandardCharsets.UTF_8);
      assertThat(page)
          .contains("id=\"save-settings\"")
          .contains("value=\"30 2 * 3 0\"")
          .contains("次の予定実行 (保存済みの設定、Europe/Berlin)")
          .contains("このバージョンはまだ期限を確認しないため")
          .contains("03:30</span>")
          .contains("(UTC+02:00)")
          .contains("夏時間の開始で存在しない時刻のため");
      assertThat(page.split("class=\"expected-run\"", -1)).hasSize(6);
      assertThat(page.split("data-dst=\"moved_by_gap\"", -1)).hasSize(2);
    }

    @Test
    void aBadValueInTheFormIsShownBesideItsFieldWithWhatWasTypedAndNothingIsSaved()
        throws Exception {
      String page =
          mvc.perform(
                  post("/monitors/" + nightly + "/settings")
                      .param("type", "interval")
                      .param("intervalSeconds", "3600")
                      .param("timeZone", "Asia/Tokyo")
                      .param("graceSeconds", "10")
                      .with(admin())
                      .with(csrf()))
              .andExpect(status().isBadRequest())
              .andReturn()
              .getResponse()
              .getContentAsString(StandardCharsets.UTF_8);

      assertThat(page)
          .contains("設定を保存できませんでした。")
          .contains(
              "<small class=\"field-error\">grace_seconds must be an integer from 30 to"
                  + " 604800</small>")
          .contains("id=\"settings-grace\" value=\"10\"")
          .contains("id=\"settings-interval\" value=\"3600\"")
          .contains("id=\"preview-none\"");
      assertThat(
              jdbc.queryForObject(
                  "SELECT schedule_type FROM task_monitors WHERE id = ?", String.class, nightly))
          .isEqualTo("none");
    }

    @Test
    void theFormInEnglishNamesTheFieldsInEnglish() throws Exception {
      mvc.perform(get("/monitors/" + nightly).param("lang", "en").with(admin()))
          .andExpect(content().string(containsString("Recovery threshold")))
          .andExpect(content().string(containsString("does not check deadlines yet")))
          .andExpect(content().string(containsString("No schedule, so no runs are expected.")));
    }

    private MockHttpServletRequestBuilder patchSettings(String body) {
      return patch("/api/v1/monitors/" + nightly)
          .with(csrf())
          .contentType(MediaType.APPLICATION_JSON)
          .content(body);
    }
  }

  static RequestPostProcessor viewer() {
    return user("viewer").roles("VIEWER");
  }

  static RequestPostProcessor admin() {
    return user("boss").roles("VIEWER", "ADMIN");
  }
}
