package jp.tcportal.incidents.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tcportal.incidents.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The read-side benchmark (not a CI test): seeds 100,000 monitors and 10,000,000 runs into an
 * embedded PostgreSQL with generate_series, vacuums and analyzes, then measures the badge, the
 * first incidents page and a history page through the real service over HTTP with a logged-in
 * session. Run it with:
 *
 * <pre>
 * ./mvnw -B -pl incidents-service -am verify -Pbenchmark -Dtest=ReadSideBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Sizes can be lowered for a quick look: {@code -Dbenchmark.monitors=10000
 * -Dbenchmark.runsPerMonitor=10}.
 */
@Tag("benchmark")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.incidents.admin-password=" + ReadSideBenchmark.PASSWORD,
      // The benchmark client talks plain HTTP; java.net's cookie store keeps secure cookies for
      // HTTPS.
      "server.servlet.session.cookie.secure=false",
      "spring.datasource.hikari.maximum-pool-size=4"
    })
class ReadSideBenchmark {

  static final String PASSWORD = "benchmark-admin-password";
  static final int MONITORS = Integer.getInteger("benchmark.monitors", 100_000);
  static final int RUNS_PER_MONITOR = Integer.getInteger("benchmark.runsPerMonitor", 100);
  static final int WARMUP = Integer.getInteger("benchmark.warmup", 1_000);
  static final int SAMPLES = Integer.getInteger("benchmark.samples", 2_000);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "benchmark");
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void readSideMeetsItsTargets() throws Exception {
    long seedStart = System.nanoTime();
    seed();
    long seedSeconds = (System.nanoTime() - seedStart) / 1_000_000_000;
    String badgePlan =
        explain("SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled");
    String badgeSql =
        explainAnalyze(
            "SELECT count(*) FROM task_monitors WHERE last_status = 'failed' AND enabled");

    UUID sampleMonitor =
        jdbc.queryForObject(
            "SELECT id FROM task_monitors ORDER BY id OFFSET 500 LIMIT 1", UUID.class);
    String firstPageSql =
        explainAnalyze(
            "SELECT m.* FROM task_monitors m ORDER BY ((m.last_status IS NOT DISTINCT FROM 'failed')"
                + " AND m.enabled) DESC, COALESCE(m.last_occurred_at, CAST('-infinity' AS timestamptz))"
                + " DESC, m.id DESC LIMIT 51");
    String historySql =
        explainAnalyze(
            "SELECT r.* FROM task_monitor_runs r WHERE r.monitor_id = '"
                + sampleMonitor
                + "' AND (r.created_at, r.id) < (now() - interval '50 hours', '"
                + new UUID(0, 0)
                + "') ORDER BY r.created_at DESC, r.id DESC LIMIT 51");

    logIn();
    List<UUID> monitors =
        jdbc.queryForList("SELECT id FROM task_monitors ORDER BY id LIMIT 1000", UUID.class);
    Random random = new Random(42);

    double[] badge = measure(() -> "/api/v1/incidents/badge");
    double[] firstPage = measure(() -> "/api/v1/incidents");
    double[] history =
        measure(
            () -> {
              UUID monitor = monitors.get(random.nextInt(monitors.size()));
              return "/api/v1/monitors/"
                  + monitor
                  + "/runs?before="
                  + cursorAfterFirstPage(monitor);
            });

    String report =
        String.format(
            Locale.ROOT,
            """

            ==== Read-side benchmark ====
            data: %,d monitors, %,d runs (seeded, vacuumed and analyzed in %d s)
            %d warm-up + %d measured sequential requests each, HTTP with a logged-in session
            badge          GET /api/v1/incidents/badge        p50 %.2f ms  p95 %.2f ms  p99 %.2f ms
            first page     GET /api/v1/incidents (50 rows)     p50 %.2f ms  p95 %.2f ms  p99 %.2f ms
            history page   GET /api/v1/monitors/{id}/runs      p50 %.2f ms  p95 %.2f ms  p99 %.2f ms
            badge plan:
            %s
            badge in SQL (EXPLAIN ANALYZE):
            %s
            first page in SQL (EXPLAIN ANALYZE):
            %s
            history page in SQL (EXPLAIN ANALYZE):
            %s
            =============================
            """,
            MONITORS,
            (long) MONITORS * RUNS_PER_MONITOR,
            seedSeconds,
            WARMUP,
            SAMPLES,
            badge[0],
            badge[1],
            badge[2],
            firstPage[0],
            firstPage[1],
            firstPage[2],
            history[0],
            history[1],
            history[2],
            badgePlan.strip(),
            badgeSql.strip(),
            firstPageSql.strip(),
            historySql.strip());
    System.out.println(report);
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("target", "benchmark-read-side.txt"), report);

    assertThat(badgePlan).contains("Index Only Scan using idx_task_monitors_failing");
  }

  /** Monitors spread over 200 machines, ~2 % failing, ~1 % disabled; 100 runs each. */
  private void seed() {
    jdbc.execute(
        """
        INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name, enabled, last_status,
          last_started_at, last_finished_at, last_exit_code, last_message, last_log_url,
          last_occurred_at, last_duration_ms, failure_streak, created_at, updated_at)
        SELECT gen_random_uuid(),
               'task_' || (i % 500),
               'タスク ' || (i % 500),
               CASE WHEN i % 3 = 0 THEN 'python' ELSE 'bat' END,
               'PC-' || lpad((i / 500)::text, 4, '0'),
               i % 97 <> 0,
               CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'success' END,
               now() - make_interval(secs => i * 7 + 60),
               now() - make_interval(secs => i * 7),
               CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END,
               CASE WHEN i % 50 = 0 THEN 'エラーが発生しました: ' || i ELSE '処理完了: ' || i || '件' END,
               'C:\\Logs\\task_' || i || '.log',
               now() - make_interval(secs => i * 7),
               60000,
               CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END,
               now() - interval '30 days',
               now() - make_interval(secs => i * 7)
        FROM generate_series(1, {MONITORS}) AS i
        """
            .replace("{MONITORS}", Integer.toString(MONITORS)));
    // Runs: written like the processor does (created_at = when stored), 100 per monitor.
    jdbc.execute(
        """
        INSERT INTO task_monitor_runs (id, monitor_id, status, started_at, finished_at, duration_ms,
          exit_code, message, log_url, report_id, received_at, created_at)
        SELECT gen_random_uuid(), m.id,
               CASE WHEN r % 10 = 0 THEN 'failed' ELSE 'success' END,
               m.last_finished_at - make_interval(hours => r, secs => 60),
               m.last_finished_at - make_interval(hours => r),
               60000,
               CASE WHEN r % 10 = 0 THEN 1 ELSE 0 END,
               '処理完了',
               NULL,
               gen_random_uuid(),
               m.last_finished_at - make_interval(hours => r),
               m.last_finished_at - make_interval(hours => r)
        FROM task_monitors m CROSS JOIN generate_series(0, {LAST_RUN}) AS r
        """
            .replace("{LAST_RUN}", Integer.toString(RUNS_PER_MONITOR - 1)));
    jdbc.execute("VACUUM ANALYZE task_monitors");
    jdbc.execute("VACUUM ANALYZE task_monitor_runs");
  }

  private void logIn() throws Exception {
    String loginPage = get("/login").body();
    Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage);
    assertThat(token.find()).as("CSRF token on the login page").isTrue();
    String form =
        "username=admin&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
    assertThat(get("/api/v1/incidents/badge").statusCode()).isEqualTo(200);
  }

  private String cursorAfterFirstPage(UUID monitor) throws Exception {
    String body = get("/api/v1/monitors/" + monitor + "/runs").body();
    Matcher cursor = Pattern.compile("\"next_cursor\":\"([^\"]+)\"").matcher(body);
    // The second page when there is one: it is the one that needs the keyset condition.
    return cursor.find() ? cursor.group(1) : null;
  }

  /** Sequential requests; returns p50, p95, p99 in milliseconds. */
  private double[] measure(PathSupplier path) throws Exception {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
      paths.add(path.next());
    }
    double[] millis = new double[SAMPLES];
    for (int i = 0; i < paths.size(); i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = get(paths.get(i));
      long elapsed = System.nanoTime() - start;
      assertThat(response.statusCode()).isEqualTo(200);
      if (i >= WARMUP) {
        millis[i - WARMUP] = elapsed / 1_000_000.0;
      }
    }
    Arrays.sort(millis);
    return new double[] {
      percentile(millis, 0.50), percentile(millis, 0.95), percentile(millis, 0.99)
    };
  }

  private static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private String explain(String sql) {
    return String.join("\n", jdbc.queryForList("EXPLAIN " + sql, String.class));
  }

  private String explainAnalyze(String sql) {
    return String.join("\n", jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) " + sql, String.class));
  }

  @FunctionalInterface
  interface PathSupplier {
    String next() throws Exception;
  }
}
