package jp.tcportal.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the resident memory of every process of the stack once a second and keeps the highest
 * value per process for the phase being run ("idle", "load", "drain").
 */
final class MemorySampler implements AutoCloseable {

  private final StackUnderTest stack;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "memory-sampler");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, Map<String, Double>> peaks = new ConcurrentHashMap<>();
  private volatile String phase;

  MemorySampler(StackUnderTest stack) {
    this.stack = stack;
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  void phase(String name) {
    phase = name;
  }

  /** Takes one sample now, outside the timer. */
  void sampleNow() {
    sample();
  }

  private void sample() {
    String current = phase;
    if (current == null) {
      return;
    }
    Map<String, Double> peak = peaks.computeIfAbsent(current, ignored -> new ConcurrentHashMap<>());
    stack
        .processes()
        .forEach(
            (name, pid) -> {
              double mib =
                  name.equals("postgresql") ? Memory.postgresPssMiB(pid) : Memory.rssMiB(pid);
              peak.merge(name, mib, Math::max);
            });
  }

  /** Highest MiB per process seen in a phase, in the stack's order. */
  Map<String, Double> peaks(String phase) {
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (String name :
        new String[] {
          "launcher + Kafka broker",
          "ingest-gateway",
          "run-processor",
          "incidents-service",
          "postgresql"
        }) {
      Double value = peaks.getOrDefault(phase, Map.of()).get(name);
      if (value != null) {
        ordered.put(name, value);
      }
    }
    return ordered;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
