package jp.tcportal.schema.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a validated report's fields, in lower-case hex: two posts with one Idempotency-Key and
 * the same digest are retries of one run; a different digest is a different run.
 *
 * <p>Canonical: only the spec's fields after validation (instants as UTC, text as stored), each
 * with a presence byte and a length prefix, in a fixed order. Nothing a retry may change
 * legitimately (extra fields such as {@code sent_at}, JSON spacing, key order, an offset that names
 * the same instant) reaches it.
 */
public final class ReportDigest {

  private ReportDigest() {}

  public static String of(MonitorReport report) {
    ByteArrayOutputStream name = new ByteArrayOutputStream(256);
    append(name, report.taskKey());
    append(name, report.taskName());
    append(name, report.kind() == null ? null : report.kind().wireName());
    append(name, report.status() == null ? null : report.status().wireName());
    append(name, report.startedAt() == null ? null : report.startedAt().toString());
    append(name, report.finishedAt() == null ? null : report.finishedAt().toString());
    append(name, report.durationMs() == null ? null : report.durationMs().toString());
    append(name, report.exitCode() == null ? null : report.exitCode().toString());
    append(name, report.message());
    append(name, report.logUrl());
    append(name, report.machineName());
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(name.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-256", e);
    }
  }

  private static void append(ByteArrayOutputStream out, String part) {
    if (part == null) {
      out.write(0);
      return;
    }
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    out.write(1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}
