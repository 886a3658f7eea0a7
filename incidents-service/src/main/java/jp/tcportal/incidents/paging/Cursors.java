package jp.tcportal.incidents.paging;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.web.InvalidRequestException;

/**
 * Opaque cursors: the sort key of the last row of a page, base64url-encoded so clients treat it as
 * a token. Times are kept to the microsecond, PostgreSQL's precision, so no row is skipped.
 */
public final class Cursors {

  private static final String SEPARATOR = "|";
  private static final String NO_TIME = "-";

  /**
   * Within PostgreSQL's timestamptz range (4714 BC to 294276 AD) and within what a long count of
   * microseconds can say (to 294247 AD): every time the service stores and pages through.
   */
  private static final Instant EARLIEST = Instant.parse("-4712-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("+294000-01-01T00:00:00Z");

  private Cursors() {}

  public static String encode(String... parts) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor into exactly {@code expectedParts} parts, or rejects it as a bad request. */
  public static List<String> decode(String cursor, int expectedParts) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> parts = List.of(text.split("\\" + SEPARATOR, -1));
      if (parts.size() != expectedParts) {
        throw invalid();
      }
      return parts;
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  public static String time(Instant instant) {
    if (instant == null) {
      return NO_TIME;
    }
    // Not ChronoUnit.MICROS.between: it counts in nanoseconds first and overflows past 2262.
    return Long.toString(
        Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
  }

  public static Instant time(String part) {
    if (NO_TIME.equals(part)) {
      return null;
    }
    try {
      Instant instant = Instant.EPOCH.plus(Long.parseLong(part), ChronoUnit.MICROS);
      // Out of the database's range it could only come from a forged cursor, and the database
      // would answer it with an error rather than an empty page.
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        throw invalid();
      }
      return instant;
    } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
      throw invalid();
    }
  }

  public static UUID id(String part) {
    try {
      return UUID.fromString(part);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException("before is not a valid cursor");
  }
}
