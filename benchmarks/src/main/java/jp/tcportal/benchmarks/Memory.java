package jp.tcportal.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/** Resident memory of processes, read from {@code /proc}. */
final class Memory {

  private Memory() {}

  /** VmRSS of one process in MiB, or 0 if it is gone. */
  static double rssMiB(long pid) {
    return field(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
  }

  /**
   * Proportional set size in MiB: shared pages (PostgreSQL's shared buffers) divided among the
   * processes sharing them, so a sum over a process tree counts each page once.
   */
  static double pssMiB(long pid) {
    return field(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
  }

  /** The PostgreSQL server: the postmaster and every backend and helper under it, by PSS. */
  static double postgresPssMiB(long postmasterPid) {
    return sumOverTree(postmasterPid, Memory::pssMiB);
  }

  /** {@code measure} of a process plus all its descendants; 0 if the process is gone. */
  static double sumOverTree(long pid, LongToDoubleFunction measure) {
    return ProcessHandle.of(pid)
        .map(
            root ->
                measure.applyAsDouble(pid)
                    + root.descendants()
                        .mapToDouble(child -> measure.applyAsDouble(child.pid()))
                        .sum())
        .orElse(0.0);
  }

  private static double field(Path file, String name) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(name)) {
          String kib = line.substring(name.length()).trim().split("\\s+")[0];
          return Long.parseLong(kib) / 1024.0;
        }
      }
      return 0;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  /** The 1-minute load average, printed beside every figure (the machine is shared). */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
