package jp.tcportal.incidents.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Times as the viewer reads them: relative ("5分前", "5 minutes ago") with the absolute time in the
 * viewer's zone for the hover. The zone is the one the browser reported in the {@code
 * TCPORTAL_TZ} cookie, else the configured default (Asia/Tokyo). Templates call it as {@code
 * @times}.
 */
@Component("times")
public class Times {

  static final String ZONE_COOKIE = "TCPORTAL_TZ";
  private static final DateTimeFormatter ABSOLUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter FUTURE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** Clocks of PCs drift a little; a report this far ahead of ours is still "just now". */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(1);

  private final MessageSource messages;
  private final ZoneId defaultZone;
  private final Clock clock;

  @Autowired
  Times(MessageSource messages, IncidentsSettings settings, Clock clock) {
    this(messages, settings.defaultZone(), clock);
  }

  Times(MessageSource messages, ZoneId defaultZone, Clock clock) {
    this.messages = messages;
    this.defaultZone = defaultZone;
    this.clock = clock;
  }

  /**
   * "たった今", "5分前", "3時間前", "2日前"; older than 30 days: the date. Ahead of our clock by more than a
   * minute: "未来の時刻 (2099-01-01 09:00)", so a PC with a wrong clock is visible instead of reading
   * "just now" for ever.
   */
  public String relative(Instant instant) {
    if (instant == null) {
      return "—";
    }
    Locale locale = LocaleContextHolder.getLocale();
    if (future(instant)) {
      return messages.getMessage(
          "time.future", new Object[] {FUTURE.format(instant.atZone(zone()))}, locale);
    }
    Duration age = Duration.between(instant, clock.instant());
    if (age.toSeconds() < 60) {
      return messages.getMessage("time.justNow", null, locale);
    }
    if (age.toMinutes() < 60) {
      return messages.getMessage("time.minutesAgo", new Object[] {age.toMinutes()}, locale);
    }
    if (age.toHours() < 24) {
      return messages.getMessage("time.hoursAgo", new Object[] {age.toHours()}, locale);
    }
    if (age.toDays() < 30) {
      return messages.getMessage("time.daysAgo", new Object[] {age.toDays()}, locale);
    }
    return DateTimeFormatter.ofPattern("yyyy-MM-dd").format(instant.atZone(zone()));
  }

  /** Whether the instant lies ahead of our clock by more than the tolerance (templates warn). */
  public boolean future(Instant instant) {
    return instant != null && instant.isAfter(clock.instant().plus(FUTURE_TOLERANCE));
  }

  /** "2026-01-22 18:05:30 (Asia/Tokyo)": the exact time in the viewer's zone. */
  public String absolute(Instant instant) {
    if (instant == null) {
      return "";
    }
    ZoneId zone = zone();
    return ABSOLUTE.format(instant.atZone(zone)) + " (" + zone.getId() + ")";
  }

  /**
   * "2026-01-22 18:05:30": the exact time in the viewer's zone, for tables that name the zone once.
   */
  public String local(Instant instant) {
    return instant == null ? "—" : ABSOLUTE.format(instant.atZone(zone()));
  }

  /** The ISO instant for {@code <time datetime>}. */
  public String iso(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  /** "1分05秒" / "1 min 5 s"; under a second: milliseconds. */
  public String duration(Integer millis) {
    if (millis == null) {
      return "—";
    }
    Locale locale = LocaleContextHolder.getLocale();
    if (millis < 1000) {
      return messages.getMessage("duration.millis", new Object[] {millis}, locale);
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return messages.getMessage("duration.seconds", new Object[] {seconds}, locale);
    }
    if (seconds < 3600) {
      return messages.getMessage(
          "duration.minutes", new Object[] {seconds / 60, seconds % 60}, locale);
    }
    return messages.getMessage(
        "duration.hours", new Object[] {seconds / 3600, (seconds % 3600) / 60}, locale);
  }

  /** The viewer's zone: from the browser's cookie when it names a real zone. */
  public ZoneId zone() {
    if (RequestContextHolder.getRequestAttributes()
        instanceof ServletRequestAttributes attributes) {
      HttpServletRequest request = attributes.getRequest();
      if (request.getCookies() != null) {
        for (Cookie cookie : request.getCookies()) {
          if (ZONE_COOKIE.equals(cookie.getName())) {
            try {
              return ZoneId.of(cookie.getValue());
            } catch (DateTimeException e) {
              return defaultZone;
            }
          }
        }
      }
    }
    return defaultZone;
  }
}
