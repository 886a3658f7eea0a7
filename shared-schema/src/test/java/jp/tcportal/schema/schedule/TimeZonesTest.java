package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

// Expected zones from CLDR common/supplemental/windowsZones.xml (territory 001).
class TimeZonesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Tokyo Standard Time, Asia/Tokyo",
    "W. Europe Standard Time, Europe/Berlin",
    "Eastern Standard Time, America/New_York",
    "GMT Standard Time, Europe/London",
    "Pacific Standard Time, America/Los_Angeles",
    "China Standard Time, Asia/Shanghai",
    "Korea Standard Time, Asia/Seoul",
    "Singapore Standard Time, Asia/Singapore",
    "India Standard Time, Asia/Kolkata",
    "AUS Eastern Standard Time, Australia/Sydney",
    "Central Europe Standard Time, Europe/Budapest",
    "Romance Standard Time, Europe/Paris",
    "Central Standard Time, America/Chicago",
    "Mountain Standard Time, America/Denver",
    "tokyo standard time, Asia/Tokyo",
  })
  void mapsWindowsZoneIdsToIanaZones(String windows, String iana) {
    assertThat(TimeZones.resolve(windows)).isEqualTo(ZoneId.of(iana));
  }

  @Test
  void acceptsUtcUnderEitherName() {
    assertThat(TimeZones.resolve("UTC").getRules().isFixedOffset()).isTrue();
    assertThat(TimeZones.resolve("Etc/UTC")).isEqualTo(ZoneId.of("Etc/UTC"));
  }

  @Test
  void acceptsIanaIdsInAnyCaseAndReturnsTheCanonicalSpelling() {
    assertThat(TimeZones.resolve("Asia/Tokyo")).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(TimeZones.resolve(" europe/berlin ")).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void everyWindowsZoneInTheTableMapsToAZoneThisJavaKnows() {
    assertThat(TimeZones.windowsTable()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(TimeZones.windowsTable().values())
        .allSatisfy(iana -> assertThat(ZoneId.getAvailableZoneIds()).contains(iana));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Mars/Olympus_Mons", "+09:00", "UTC+9", "Tokyo", "", "SystemV/EST5"})
  void rejectsWhatIsNeitherAnIanaNorAWindowsZone(String id) {
    assertThatThrownBy(() -> TimeZones.resolve(id))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage(
            "schedule.time_zone must be an IANA time zone such as Asia/Tokyo or a Windows time zone"
                + " id such as Tokyo Standard Time")
        .extracting(e -> ((InvalidScheduleException) e).field())
        .isEqualTo("schedule.time_zone");
  }

  @Test
  void rejectsAnInvalidZoneInASchedule() {
    assertThatThrownBy(() -> Schedule.of("cron", null, "0 * * * *", "Asia/Tokio"))
        .isInstanceOf(InvalidScheduleException.class)
        .extracting(e -> ((InvalidScheduleException) e).field())
        .isEqualTo("schedule.time_zone");
  }
}
