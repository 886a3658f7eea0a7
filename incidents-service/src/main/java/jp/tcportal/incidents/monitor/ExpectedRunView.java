package jp.tcportal.incidents.monitor;

import java.time.format.DateTimeFormatter;
import java.util.Locale;
import jp.tcportal.schema.schedule.ExpectedRun;

/**
 * One line of the settings preview, formatted for the page.
 *
 * @param local the wall-clock date and time in the schedule's zone
 * @param offset the zone's offset then, e.g. {@code +09:00}
 * @param iso the instant, for the {@code datetime} attribute
 * @param dst {@code none}, {@code moved_by_gap} or {@code overlap}: the message key of the DST note
 */
record ExpectedRunView(String local, String offset, String iso, String dst) {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd (EEE) HH:mm", Locale.ENGLISH);

  static ExpectedRunView of(ExpectedRun run) {
    return new ExpectedRunView(
        LOCAL.format(run.localDateTime()),
        run.offset().getId().equals("Z") ? "+00:00" : run.offset().getId(),
        run.at().toString(),
        run.dst().name().toLowerCase(Locale.ROOT));
  }
}
