package jp.tcportal.notifier.message;

/**
 * Cuts text to a length in UTF-16 units (how Slack and Teams count), never inside a surrogate pair,
 * and marks the cut.
 */
public final class Excerpt {

  private Excerpt() {}

  /** At most {@code maxChars} UTF-16 units of {@code text}, ending in "…" when cut. */
  public static String cut(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    if (text.length() <= maxChars) {
      return text;
    }
    int end = Math.max(0, maxChars - 1);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** Drops control characters other than tab and newline (which would garble a chat message). */
  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
