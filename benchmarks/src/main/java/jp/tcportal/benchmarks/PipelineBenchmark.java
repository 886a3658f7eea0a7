package jp.tcportal.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole-pipeline benchmark of issue 7. From the repository root, after {@code ./mvnw -B -q
 * -DskipTests package}: {@code java -jar benchmarks/target/tcportal-benchmarks.jar [--quick]}.
 *
 * <p>Order: start the one-command stack (start-up time, idle memory); warm the services up under
 * saturation load until the JIT has compiled the hot paths, and let the processor catch up; stop
 * the processor; the three ceilings and the gateway at saturation, whose reports become part of the
 * processor's backlog; top the backlog up straight into Kafka and time the processor, started cold,
 * until its lag is 0; last, with every service warm, the gateway at a constant 1,000 and 5,000
 * reports/s (latency, freshness, memory under load).
 */
public final class PipelineBenchmark {

  private final BenchmarkSettings settings;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Profiler profiler;

  private PipelineBenchmark(BenchmarkSettings settings) {
    this.settings = settings;
    this.profiler =
        new Profiler(
            "true".equalsIgnoreCase(System.getenv("TCPORTAL_BENCH_JFR")), settings.logDir());
  }

  public static void main(String[] args) throws Exception {
    BenchmarkSettings settings = BenchmarkSettings.from(List.of(args), System.getenv());
    new PipelineBenchmark(settings).run();
    // Reactor's and Kafka's non-daemon threads must not keep the benchmark alive.
    System.exit(0);
  }

  private void run() throws Exception {
    Instant began = Instant.now();
    log(
        "TC Portal Monitor pipeline benchmark"
            + (settings.quick() ? " (--quick)" : "")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, load average "
            + Memory.loadAverage());
    try (StackUnderTest stack = new StackUnderTest(settings);
        MemorySampler memory = new MemorySampler(stack)) {
      log(
          "starting the one-command stack (java -jar deploy/local-stack/target/tcportal-local-stack.jar)");
      double startSeconds = stack.start();
      row("Stack start-up to ready line", format(startSeconds, "s"), "< 60 s", "", "");
      log("ready after " + format(startSeconds, "s") + "; letting it settle");
      TimeUnit.SECONDS.sleep(15);
      memory.phase("idle");
      memory.sampleNow();
      TimeUnit.SECONDS.sleep(3);
      memory.sampleNow();
      memory.phase(null);

      Map<String, String> secret = Map.of("X-TC-Portal-Secret", StackUnderTest.WEBHOOK_SECRET);
      String path = "/api/monitor/report";

      try (HttpLoad gateway = new HttpLoad(stack.gatewayUrl(), 512, secret)) {
        warmUp(stack, gateway, path);
        log("stopping the processor: the ceilings and the saturation run build its backlog");
        stack.stopProcessor();

        log("HTTP ceiling: bare Reactor Netty endpoint, fixed 200, same load generator");
        double httpCeiling;
        try (HttpCeiling bare = new HttpCeiling();
            HttpLoad load = new HttpLoad(bare.baseUrl(), 512, secret)) {
          HttpLoad.Result result =
              load.closed(
                  path,
                  this::spreadReport,
                  settings.saturationConnections(),
                  settings.warmup(),
                  settings.measure());
          httpCeiling = result.okPerSecond();
          row(
              "Ceiling: bare HTTP (Netty, fixed 200), "
                  + settings.saturationConnections()
                  + " connections",
              format(httpCeiling, "/s")
                  + ", p99 "
                  + format(result.latencies().percentileMillis(99), "ms"),
              "",
              "",
              Memory.loadAverage());
        }

        log("generator check: the open model at 5,000/s against the bare endpoint");
        try (HttpCeiling bare = new HttpCeiling();
            HttpLoad load = new HttpLoad(bare.baseUrl(), 512, secret)) {
          HttpLoad.Result result =
              load.open(
                  path,
                  this::spreadReport,
                  5000,
                  settings.warmup(),
                  settings.measure(),
                  (seq, status, at) -> {});
          row(
              "Generator check: open model at 5,000/s against the bare endpoint, p50 / p99",
              latencyPair(result.latencies()),
              "",
              "what the generator and the loopback add to every latency above",
              Memory.loadAverage());
        }

        log("Kafka ceiling: producer loop with acks=all");
        double kafkaCeiling =
            KafkaCeiling.measure(stack.kafkaBootstrap(), settings.kafkaCeilingRecords());
        row(
            "Ceiling: Kafka producer, acks=all, lz4, "
                + settings.kafkaCeilingRecords()
                + " records",
            format(kafkaCeiling, "/s"),
            "",
            "",
            Memory.loadAverage());

        log("PostgreSQL ceiling: JDBC batched inserts of run rows");
        double databaseCeiling =
            DatabaseCeiling.measure(
                stack.jdbcUrl(),
                "postgres",
                stack.databasePassword(),
                settings.databaseCeilingRows());
        row(
            "Ceiling: PostgreSQL batched insert of run rows, "
                + settings.databaseCeilingRows()
                + " rows",
            format(databaseCeiling, "/s"),
            "",
            "",
            Memory.loadAverage());

        log("gateway at saturation, " + settings.saturationConnections() + " connections");
        memory.phase("load");
        profiler.record(
            stack.processes().get("ingest-gateway"),
            "gateway-saturation",
            (int) settings.measure().toSeconds());
        CpuTime saturationCpu = CpuTime.start(stack);
        HttpLoad.Result saturation =
            gateway.closed(
                path,
                this::spreadReport,
                settings.saturationConnections(),
                settings.warmup(),
                settings.measure());
        memory.phase(null);
        notes.add(
            "CPU (cores) during the gateway at saturation: "
                + saturationCpu.coresSinceStart(stack)
                + ".");
        double accepted = saturation.okPerSecond();
        row(
            "Gateway accepted/s at saturation (acks=all), "
                + settings.saturationConnections()
                + " connections",
            format(accepted, "/s")
                + " ("
                + saturation.failed()
                + " not 200), p99 "
                + format(saturation.latencies().percentileMillis(99), "ms"),
            "≥ 10,000/s and ≥ ½ ceiling",
            format(httpCeiling, "/s") + " HTTP, " + format(kafkaCeiling, "/s") + " Kafka",
            Memory.loadAverage());
        notes.add(
            String.format(
                Locale.ROOT,
                "Gateway at saturation: %.0f%% of the bare HTTP ceiling, %.0f%% of the Kafka ceiling.",
                100 * accepted / httpCeiling,
                100 * accepted / kafkaCeiling));

        drainBacklog(stack, memory, databaseCeiling);
        openModel(stack, memory, gateway, path);
      }

      memoryRows(memory);
    }
    log("stack stopped");
    String table = table();
    System.out.println();
    System.out.println(table);
    Path results = settings.repositoryRoot().resolve("benchmarks/target/benchmark-results.md");
    Files.writeString(
        results,
        "Run of "
            + began
            + (settings.quick() ? " (--quick)" : "")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs\n\n"
            + table,
        StandardCharsets.UTF_8);
    log("written to " + results);
  }

  private void drainBacklog(StackUnderTest stack, MemorySampler memory, double databaseCeiling)
      throws Exception {
    try (Backlog backlog = new Backlog(stack.kafkaBootstrap())) {
      long already = backlog.lag();
      long missing = Math.max(0, settings.backlogReports() - already);
      log(
          "backlog: "
              + already
              + " reports from the saturation run; producing "
              + missing
              + " more straight into Kafka over "
              + settings.monitors()
              + " monitors");
      backlog.produce(missing, settings.monitors());
      long total = backlog.lag();
      long runsBefore = countRuns(stack);
      log("starting the processor cold to drain " + total + " reports");
      memory.phase("drain");
      long started = System.nanoTime();
      Process processor = stack.startProcessor();
      long firstProgress = 0;
      CpuTime drainCpu = null;
      long deadline =
          started
              + TimeUnit.SECONDS.toNanos(
                  Long.parseLong(
                      System.getenv().getOrDefault("TCPORTAL_BENCH_DRAIN_LIMIT_SECONDS", "1800")));
      long lag = total;
      long lastLog = started;
      while (lag > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(200);
        lag = backlog.lag();
        long now = System.nanoTime();
        if (firstProgress == 0 && lag < total) {
          firstProgress = now;
          drainCpu = CpuTime.start(stack);
          // Attached only now: a JVM that is still starting refuses jcmd.
          profiler.record(processor.pid(), "processor-drain", 30);
        }
        if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
          log("  lag " + lag);
          lastLog = now;
        }
      }
      long finished = System.nanoTime();
      memory.phase(null);
      if (drainCpu != null) {
        notes.add(
            "CPU (cores) while the processor drains: " + drainCpu.coresSinceStart(stack) + ".");
      }
      long stored = countRuns(stack) - runsBefore;
      if (lag > 0) {
        // Out of time: the rate over what was drained is still a measurement, said as such.
        long drained = total - lag;
        row(
            "Processor: backlog of " + total + " reports, stopped at the time limit",
            format(drained / ((finished - firstProgress) / 1e9), "/s")
                + " from first commit over the "
                + drained
                + " drained; "
                + stored
                + " runs stored",
            "≥ 20,000/s and ≥ ⅓ ceiling",
            format(databaseCeiling, "/s") + " DB",
            Memory.loadAverage());
        return;
      }
      double applying = total / ((finished - firstProgress) / 1e9);
      double withStart = total / ((finished - started) / 1e9);
      String load = Memory.loadAverage();
      row(
          "Processor: backlog of " + total + " reports over " + settings.monitors() + " monitors",
          format(applying, "/s")
              + " from first commit ("
              + format(withStart, "/s")
              + " incl. JVM start, "
              + format((finished - started) / 1e9, "s")
              + " in all); "
              + stored
              + " runs stored",
          "≥ 20,000/s and ≥ ⅓ ceiling",
          format(databaseCeiling, "/s") + " DB",
          load);
      notes.add(
          String.format(
              Locale.ROOT,
              "Processor: %.0f%% of the PostgreSQL ceiling; runs stored = backlog: %s.",
              100 * applying / databaseCeiling,
              stored == total));
    }
  }

  /**
   * Latency and freshness at a constant rate, last: by now the gateway and the processor have run
   * for minutes (warm-up, saturation, the drain), as deployed services have.
   */
  private void openModel(StackUnderTest stack, MemorySampler memory, HttpLoad gateway, String path)
      throws Exception {
    Freshness freshness =
        Freshness.loggedIn(
            stack.incidentsUrl(), stack.caFile(), "admin", StackUnderTest.ADMIN_PASSWORD);
    memory.phase("load");
    String runTag = Long.toString(System.currentTimeMillis(), 36);
    long warmupRequests = 1000L * settings.warmup().toSeconds();
    log("gateway at a constant 1,000 reports/s, following every 100th report to the incidents API");
    CpuTime at1000Cpu = CpuTime.start(stack);
    HttpLoad.Result at1000 =
        gateway.open(
            path,
            seq ->
                seq % 100 == 0
                    ? Reports.body("fresh-" + runTag + "-" + seq, seq)
                    : spreadReport(seq),
            1000,
            settings.warmup(),
            settings.measure(),
            (seq, status, at) -> {
              if (status == 200 && seq % 100 == 0 && seq >= warmupRequests) {
                freshness.follow(Reports.monitorId("fresh-" + runTag + "-" + seq), at);
              }
            });
    notes.add("CPU (cores) during the constant 1,000/s: " + at1000Cpu.coresSinceStart(stack) + ".");
    freshness.awaitAll();
    String load1000 = Memory.loadAverage();
    row(
        "Gateway p50 / p99 at 1,000/s (open model)",
        latencyPair(at1000.latencies()),
        "p99 < 50 ms",
        "",
        load1000);
    row(
        "Gateway answers at 1,000/s: 200 / other",
        at1000.ok() + " / " + at1000.failed(),
        "all 200",
        "",
        load1000);
    row(
        "Freshness p50 / p99 at 1,000/s (200 → incidents API)",
        latencyPair(freshness.latencies())
            + " ("
            + freshness.latencies().count()
            + " followed, "
            + freshness.neverSeen()
            + " not seen in 30 s)",
        "p99 < 500 ms",
        "",
        load1000);

    log("gateway at a constant 5,000 reports/s");
    HttpLoad.Result at5000 =
        gateway.open(
            path,
            this::spreadReport,
            5000,
            settings.warmup(),
            settings.measure(),
            (seq, status, at) -> {});
    String load5000 = Memory.loadAverage();
    row(
        "Gateway p50 / p99 at 5,000/s (open model)",
        latencyPair(at5000.latencies()),
        "",
        "",
        load5000);
    row(
        "Gateway answers at 5,000/s: 200 / other",
        at5000.ok() + " / " + at5000.failed(),
        "all 200",
        "",
        load5000);
    memory.phase(null);
  }

  /**
   * A deployed gateway has been running for hours: its hot paths are compiled. A fresh one needs
   * about 90 s of CPU for C2 alone (JFR's compiler statistics), and under saturation its compiler
   * threads get a tenth of a core: one run measured 9,300/s after ~220,000 warm-up requests, the
   * next 4,900/s after ~120,000, and a "stop when throughput stops rising" rule stopped on a 570/s
   * plateau. So the warm-up first offers a low constant rate that leaves CPU to the compiler (250,
   * 500, then 1,000 reports/s), then runs 10 s windows at saturation until one is within 5 % of the
   * one before (at least three), or the limit passes; then the processor stores what it sent.
   */
  private void warmUp(StackUnderTest stack, HttpLoad gateway, String path) throws Exception {
    long started = System.nanoTime();
    long sent = 0;
    boolean quick = settings.quick();
    for (int[] step :
        new int[][] {{250, quick ? 15 : 30}, {500, quick ? 15 : 30}, {1000, quick ? 20 : 60}}) {
      log("warming up: constant " + step[0] + " reports/s for " + step[1] + " s, not measured");
      HttpLoad.Result result =
          gateway.open(
              path,
              this::spreadReport,
              step[0],
              Duration.ZERO,
              Duration.ofSeconds(step[1]),
              (seq, status, at) -> {});
      sent += result.ok() + result.failed();
    }
    log(
        "warming up at saturation ("
            + settings.saturationConnections()
            + " connections) until throughput settles; not measured");
    double previous = 0;
    int windows = 0;
    boolean settled = false;
    while (!settled && System.nanoTime() - started < settings.jitWarmup().toNanos()) {
      HttpLoad.Result window =
          gateway.closed(
              path,
              this::spreadReport,
              settings.saturationConnections(),
              Duration.ZERO,
              Duration.ofSeconds(10));
      windows++;
      sent += window.ok() + window.failed();
      double rate = window.okPerSecond();
      settled = windows >= 3 && Math.abs(rate - previous) < 0.05 * previous;
      previous = rate;
      log("  warm-up window " + windows + ": " + format(rate, "/s"));
    }
    row(
        "Warm-up before measuring (constant 250 → 1,000/s, then saturation; processor running)",
        format((System.nanoTime() - started) / 1e9, "s")
            + ", "
            + sent
            + " reports, last 10 s window at saturation "
            + format(previous, "/s")
            + (settled ? "" : " (not settled at the limit)"),
        "",
        "",
        Memory.loadAverage());
    log("  waiting for the processor to store the warm-up's reports");
    try (Backlog backlog = new Backlog(stack.kafkaBootstrap())) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (backlog.lag() > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
    TimeUnit.SECONDS.sleep(5);
  }

  /** Report number {@code seq}, for one of the run's monitors in turn. */
  private String spreadReport(long seq) {
    return Reports.body(Reports.taskKey((int) (seq % settings.monitors())), seq);
  }

  private void memoryRows(MemorySampler memory) {
    for (String phase : List.of("idle", "load", "drain")) {
      Map<String, Double> peaks = memory.peaks(phase);
      if (peaks.isEmpty()) {
        continue;
      }
      StringBuilder parts = new StringBuilder();
      double total = 0;
      for (var entry : peaks.entrySet()) {
        if (parts.length() > 0) {
          parts.append(", ");
        }
        parts.append(entry.getKey()).append(' ').append(format(entry.getValue(), "MiB"));
        total += entry.getValue();
      }
      String label =
          switch (phase) {
            case "idle" -> "Memory at idle (total of the stack)";
            case "load" -> "Memory under gateway load (peaks)";
            default -> "Memory while the processor drains (peaks)";
          };
      row(
          label,
          format(total, "MiB") + ": " + parts,
          phase.equals("idle") ? "< 1.5 GiB total" : "",
          "",
          "");
    }
  }

  private long countRuns(StackUnderTest stack) throws SQLException, java.io.IOException {
    try (Connection connection =
            DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.databasePassword());
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM task_monitor_runs")) {
      count.next();
      return count.getLong(1);
    }
  }

  private void row(String measure, String result, String target, String ceiling, String load) {
    rows.add(new String[] {measure, result, target, ceiling, load});
    log(measure + ": " + result + (load.isEmpty() ? "" : "   [load " + load + "]"));
  }

  private String table() {
    StringBuilder out = new StringBuilder();
    out.append("| Measure | Result | Target | Ceiling (same run) | Load average (1/5/15 min) |\n");
    out.append("|---|---|---|---|---|\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    out.append('\n');
    for (String note : notes) {
      out.append("- ").append(note).append('\n');
    }
    return out.toString();
  }

  private static String latencyPair(Latencies latencies) {
    return format(latencies.percentileMillis(50), "ms")
        + " / "
        + format(latencies.percentileMillis(99), "ms");
  }

  private static String format(double value, String unit) {
    if (unit.equals("/s")) {
      return String.format(Locale.ROOT, "%,.0f/s", value);
    }
    if (unit.equals("ms")) {
      return String.format(Locale.ROOT, "%.1f ms", value);
    }
    if (unit.equals("MiB")) {
      return String.format(Locale.ROOT, "%.0f MiB", value);
    }
    return String.format(Locale.ROOT, "%.1f %s", value, unit);
  }

  private static void log(String line) {
    System.out.println("[benchmark " + Instant.now().toString().substring(11, 19) + "] " + line);
  }
}
