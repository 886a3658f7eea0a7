package jp.tcportal.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run does. {@code --quick} is for developing the benchmark (a 100,000-report backlog,
 * short phases); the default is the run (1,000,000 reports over 10,000 monitors).
 *
 * @param stackHome the checkout whose packaged jars are measured ({@code TCPORTAL_BENCH_HOME},
 *     default this one): pointing it at a clean export of a commit keeps the measured jars fixed
 *     while others rebuild theirs
 * @param backlogReports reports the processor drains from a cold start ({@code
 *     TCPORTAL_BENCH_BACKLOG} overrides it: on a machine shared with other work a million may not
 *     fit the time there is)
 * @param jitWarmup the longest warm-up at saturation once the stack is up, before anything is
 *     measured (it ends earlier once throughput stops rising): a deployed gateway runs compiled
 *     code, a freshly started one runs the interpreter for minutes on two busy cores
 * @param warmup load before each measured window (connection pools, the rate settling)
 * @param measure length of each measured window
 * @param saturationConnections requests in flight for the closed-model phases
 */
record BenchmarkSettings(
    boolean quick,
    Path repositoryRoot,
    Path stackHome,
    Path stackDataDir,
    Path logDir,
    int gatewayPort,
    int incidentsPort,
    int processorPort,
    int kafkaPort,
    int postgresPort,
    int monitors,
    int backlogReports,
    int kafkaCeilingRecords,
    int databaseCeilingRows,
    Duration jitWarmup,
    Duration warmup,
    Duration measure,
    int saturationConnections) {

  static BenchmarkSettings from(List<String> args, Map<String, String> env) {
    boolean quick = args.contains("--quick");
    Path root = findRepositoryRoot();
    Path target = root.resolve("benchmarks/target");
    return new BenchmarkSettings(
        quick,
        root,
        Path.of(env.getOrDefault("TCPORTAL_BENCH_HOME", root.toString())).toAbsolutePath(),
        target.resolve("stack-data"),
        target.resolve("benchmark-logs"),
        intSetting(env, "TCPORTAL_BENCH_GATEWAY_PORT", 18180),
        intSetting(env, "TCPORTAL_BENCH_INCIDENTS_PORT", 18181),
        intSetting(env, "TCPORTAL_BENCH_PROCESSOR_PORT", 18182),
        intSetting(env, "TCPORTAL_BENCH_KAFKA_PORT", 18192),
        intSetting(env, "TCPORTAL_BENCH_POSTGRES_PORT", 18432),
        10_000,
        intSetting(env, "TCPORTAL_BENCH_BACKLOG", quick ? 100_000 : 1_000_000),
        quick ? 100_000 : 200_000,
        quick ? 50_000 : 100_000,
        Duration.ofSeconds(intSetting(env, "TCPORTAL_BENCH_JIT_WARMUP_SECONDS", quick ? 120 : 360)),
        Duration.ofSeconds(quick ? 3 : 5),
        Duration.ofSeconds(quick ? 8 : 20),
        // 10,000/s with acknowledgements taking ~20 ms needs ~200 requests in flight; a fleet of
        // PCs reporting at the top of the hour is thousands of independent clients.
        intSetting(env, "TCPORTAL_BENCH_CONNECTIONS", 256));
  }

  private static int intSetting(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  /** The checkout: the working directory or one of its parents. */
  private static Path findRepositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isDirectory(dir.resolve("benchmarks"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("Run the benchmark from the TC Portal Monitor checkout");
  }
}
