package jp.tcportal.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of the stack's processes (and of the benchmark's own JVM, the load generator), read from
 * {@code /proc/<pid>/stat}, so a phase can say which process used the two cores: a throughput that
 * is short of its target is either one process saturating or everyone waiting.
 */
final class CpuTime {

  /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code getconf CLK_TCK}, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  static final String GENERATOR = "load generator (this JVM)";

  private final Map<String, Double> startSeconds;
  private final long startNanos;

  private CpuTime(Map<String, Double> startSeconds, long startNanos) {
    this.startSeconds = startSeconds;
    this.startNanos = startNanos;
  }

  /** Starts counting for the processes the stack has now. */
  static CpuTime start(StackUnderTest stack) {
    return new CpuTime(snapshot(stack), System.nanoTime());
  }

  /**
   * Cores used per process since {@link #start} (1.00 = one core busy the whole time), e.g. {@code
   * ingest-gateway 1.52, postgresql 0.03, ...}, largest first.
   */
  String coresSinceStart(StackUnderTest stack) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Double> now = snapshot(stack);
    Map<String, Double> cores = new LinkedHashMap<>();
    now.forEach(
        (name, seconds) ->
            cores.put(name, (seconds - startSeconds.getOrDefault(name, 0.0)) / elapsed));
    double total = cores.values().stream().mapToDouble(Double::doubleValue).sum();
    return cores.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "))
        + String.format(
            Locale.ROOT,
            " (total %.2f of %d cores)",
            total,
            Runtime.getRuntime().availableProcessors());
  }

  private static Map<String, Double> snapshot(StackUnderTest stack) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    stack
        .processes()
        .forEach(
            (name, pid) ->
                seconds.put(
                    name,
                    name.equals("postgresql")
                        ? Memory.sumOverTree(pid, CpuTime::processSeconds)
                        : processSeconds(pid)));
    seconds.put(GENERATOR, processSeconds(ProcessHandle.current().pid()));
    return seconds;
  }

  /** utime + stime of one process (all its threads), in seconds; 0 if it is gone. */
  static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // The command name (field 2) may contain spaces; fields are counted after its ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state): utime is field 14, stime field 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
