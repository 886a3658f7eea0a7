package jp.tcportal.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's table, rewritten to {@code target/reliability.md} after every scenario so that a
 * failed or interrupted run still leaves the rows it measured.
 */
final class ReliabilityReport {

  private final Path file;
  private final Instant started = Instant.now();
  private final List<ScenarioResult> results = new ArrayList<>();

  ReliabilityReport(Path file) {
    this.file = file;
  }

  synchronized void add(ScenarioResult result) {
    results.add(result);
    System.out.println(result.row());
    write();
  }

  private void write() {
    StringBuilder text = new StringBuilder();
    text.append("# Fault-injection results\n\n")
        .append("Started ")
        .append(started.truncatedTo(ChronoUnit.SECONDS))
        .append(" on ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(". Load: ")
        .append(LoadGenerator.PER_SECOND)
        .append(" reports/s over ")
        .append(LoadGenerator.MONITORS)
        .append(" monitors. Columns: docs/reliability.md.\n\n")
        .append(ScenarioResult.HEADER)
        .append('\n');
    results.forEach(result -> text.append(result.row()).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }
}
