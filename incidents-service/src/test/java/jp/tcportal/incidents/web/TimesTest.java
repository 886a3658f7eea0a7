package jp.tcportal.incidents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;

/** Relative and absolute times as the viewer reads them, in both languages. */
class TimesTest {

  static final Instant NOW = Instant.parse("2026-01-22T09:00:00Z");

  final Times times =
      new Times(messages(), ZoneId.of("Asia/Tokyo"), Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void resetLocale() {
    LocaleContextHolder.resetLocaleContext();
  }

  @Test
  void saysHowLongAgoInJapaneseWithoutSpaces() {
    LocaleContextHolder.setLocale(Locale.JAPANESE);

    assertThat(times.relative(NOW.minusSeconds(20))).isEqualTo("たった今");
    assertThat(times.relative(NOW.minusSeconds(5 * 60 + 30))).isEqualTo("5分前");
    assertThat(times.relative(NOW.minusSeconds(3 * 3600))).isEqualTo("3時間前");
    assertThat(times.relative(NOW.minusSeconds(2 * 86_400))).isEqualTo("2日前");
    assertThat(times.relative(NOW.minusSeconds(40L * 86_400))).isEqualTo("2025-12-13");
    assertThat(times.relative(null)).isEqualTo("—");
  }

  @Test
  void saysHowLongAgoInEnglishWithSingulars() {
    LocaleContextHolder.setLocale(Locale.ENGLISH);

    assertThat(times.relative(NOW.minusSeconds(60))).isEqualTo("1 minute ago");
    assertThat(times.relative(NOW.minusSeconds(5 * 60))).isEqualTo("5 minutes ago");
    assertThat(times.relative(NOW.minusSeconds(3600))).isEqualTo("1 hour ago");
    assertThat(times.relative(NOW.minusSeconds(3 * 86_400))).isEqualTo("3 days ago");
  }

  @Test
  void aReportFromAClockAheadOfOursIsJustNow() {
    LocaleContextHolder.setLocale(Locale.JAPANESE);

    assertThat(times.relative(NOW.plusSeconds(30))).isEqualTo("たった今");
  }

  @Test
  void aTimeFarAheadOfOursIsShownAsFutureNeverAsJustNow() {
    Instant wrongClock = Instant.parse("2099-01-01T00:00:00Z");
    LocaleContextHolder.setLocale(Locale.JAPANESE);
    assertThat(times.relative(wrongClock)).isEqualTo("未来の時刻 (2099-01-01 09:00)");
    assertThat(times.relative(NOW.plusSeconds(5 * 60))).isEqualTo("未来の時刻 (2026-01-22 18:05)");
    assertThat(times.future(wrongClock)).isTrue();
    assertThat(times.future(NOW.plusSeconds(30))).isFalse();
    assertThat(times.future(NOW.minusSeconds(3600))).isFalse();

    LocaleContextHolder.setLocale(Locale.ENGLISH);
    assertThat(times.relative(wrongClock)).isEqualTo("in the future (2099-01-01 09:00)");
  }

  @Test
  void absoluteTimeIsInTheViewersZone() {
    assertThat(times.absolute(Instant.parse("2026-01-22T09:05:30Z")))
        .isEqualTo("2026-01-22 18:05:30 (Asia/Tokyo)");
  }

  @Test
  void localTimeLeavesTheZoneToTheTableHeading() {
    assertThat(times.local(Instant.parse("2026-01-22T09:05:30Z"))).isEqualTo("2026-01-22 18:05:30");
    assertThat(times.local(null)).isEqualTo("—");
  }

  @Test
  void durationsReadNaturally() {
    LocaleContextHolder.setLocale(Locale.JAPANESE);
    assertThat(times.duration(330_000)).isEqualTo("5分30秒");
    assertThat(times.duration(850)).isEqualTo("850ミリ秒");
    LocaleContextHolder.setLocale(Locale.ENGLISH);
    assertThat(times.duration(3_720_000)).isEqualTo("1 h 2 min");
  }

  private static ResourceBundleMessageSource messages() {
    ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
    messages.setBasename("messages");
    messages.setDefaultEncoding("UTF-8");
    messages.setFallbackToSystemLocale(false);
    return messages;
  }
}
