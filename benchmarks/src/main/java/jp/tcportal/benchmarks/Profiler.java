package jp.tcportal.benchmarks;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Optional JFR recordings of a service while it is under load ({@code TCPORTAL_BENCH_JFR=true}),
 * written next to the benchmark's logs for {@code jfr print --events jdk.ExecutionSample}. JFR's
 * default settings sample every 20 ms: about 1% of a core.
 */
final class Profiler {

  private final boolean enabled;
  private final Path dir;

  Profiler(boolean enabled, Path dir) {
    this.enabled = enabled;
    this.dir = dir;
  }

  void record(Long pid, String name, int seconds) {
    if (!enabled || pid == null) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      new ProcessBuilder(
              jcmd.toString(),
              String.valueOf(pid),
              "JFR.start",
              "name=" + name,
              "duration=" + seconds + "s",
              "filename=" + dir.resolve(name + ".jfr").toAbsolutePath())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      System.out.println("[benchmark] no JFR recording of " + name + ": " + e.getMessage());
    }
  }
}
