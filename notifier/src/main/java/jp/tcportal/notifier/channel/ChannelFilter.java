package jp.tcportal.notifier.channel;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.regex.Pattern;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.report.Kind;

/**
 * Which monitors a channel hears about; a null field matches everything. Globs know {@code *} (any
 * run of characters) and {@code ?} (one character). Machine names compare case-insensitively, as
 * Windows does; task keys exactly.
 */
public record ChannelFilter(
    @JsonProperty("task_key") String taskKey,
    @JsonProperty("machine_name") String machineName,
    @JsonProperty("kind") Kind kind) {

  public static final ChannelFilter ANY = new ChannelFilter(null, null, null);

  public boolean matches(MonitorStatusChanged event) {
    return (kind == null || kind == event.kind())
        && (taskKey == null || glob(taskKey, false).matcher(event.taskKey()).matches())
        && (machineName == null
            || glob(machineName, true)
                .matcher(event.machineName() == null ? "" : event.machineName())
                .matches());
  }

  static Pattern glob(String glob, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(
        regex.toString(),
        ignoreCase
            ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL
            : Pattern.DOTALL);
  }

  @Override
  public String toString() {
    return "ChannelFilter[task_key=%s, machine_name=%s, kind=%s]"
        .formatted(
            taskKey, machineName, kind == null ? null : kind.name().toLowerCase(Locale.ROOT));
  }
}
