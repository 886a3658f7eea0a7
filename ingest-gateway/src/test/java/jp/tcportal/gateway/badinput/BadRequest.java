package jp.tcportal.gateway.badinput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * One file of {@code src/test/resources/bad-requests/}: comment lines, then a raw HTTP/1.1 request.
 *
 * <pre>
 * # what the request tries
 * # expect: 400 task_key is required and must be a string
 * POST /api/monitor/report HTTP/1.1
 * X-TC-Portal-Secret: ${secret}
 * Content-Length: ${length}
 *
 * {"task_key": 42, ...}
 * </pre>
 *
 * <p>The head's lines are sent with CRLF; the body is everything after the blank line, without its
 * final newline. Placeholders: {@code ${secret}}, {@code ${task_key}} (unique per file, so the test
 * can look for it on the topic), {@code ${length}} (the body's byte count), {@code
 * ${repeat:N:text}}, {@code ${hex:c328}} (raw bytes), {@code ${gzip:text}}, {@code ${crlf}}. The
 * expected message is optional; without it only the status and the error shape are checked.
 */
record BadRequest(
    String name, int expectedStatus, String expectedError, byte[] request, String taskKey) {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([a-z_]+)(?::([^:}]*))?(?::([^}]*))?}");
  private static final Pattern EXPECT = Pattern.compile("^#\\s*expect:\\s*(\\d{3})\\s*(.*)$");

  static BadRequest load(Path file, String secret, String taskKey) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int status = 0;
    String error = null;
    int index = 0;
    for (; index < lines.size() && lines.get(index).startsWith("#"); index++) {
      Matcher expect = EXPECT.matcher(lines.get(index));
      if (expect.matches()) {
        status = Integer.parseInt(expect.group(1));
        error = expect.group(2).isBlank() ? null : expect.group(2).strip();
      }
    }
    if (status == 0) {
      throw new IllegalArgumentException(file + " has no '# expect: <status>' line");
    }
    List<String> head = new ArrayList<>();
    for (; index < lines.size() && !lines.get(index).isEmpty(); index++) {
      head.add(lines.get(index));
    }
    String bodyText =
        index + 1 < lines.size() ? String.join("\n", lines.subList(index + 1, lines.size())) : "";
    byte[] body = expand(bodyText, secret, taskKey, -1);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    for (String line : head) {
      request.writeBytes(expand(line, secret, taskKey, body.length));
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    String name = file.getFileName().toString().replaceFirst("\\.http$", "");
    return new BadRequest(name, status, error, request.toByteArray(), taskKey);
  }

  private static byte[] expand(String text, String secret, String taskKey, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Matcher placeholder = PLACEHOLDER.matcher(text);
    int last = 0;
    while (placeholder.find()) {
      out.writeBytes(text.substring(last, placeholder.start()).getBytes(StandardCharsets.UTF_8));
      String argument = placeholder.group(2);
      out.writeBytes(
          switch (placeholder.group(1)) {
            case "secret" -> utf8(secret);
            case "task_key" -> utf8(taskKey);
            case "length" -> utf8(String.valueOf(length));
            case "crlf" -> utf8("\r\n");
            case "hex" -> HexFormat.of().parseHex(argument);
            case "repeat" -> utf8(placeholder.group(3).repeat(Integer.parseInt(argument)));
            case "gzip" -> gzip(utf8(argument));
            default ->
                throw new IllegalArgumentException("unknown placeholder " + placeholder.group());
          });
      last = placeholder.end();
    }
    out.writeBytes(text.substring(last).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return name;
  }
}
