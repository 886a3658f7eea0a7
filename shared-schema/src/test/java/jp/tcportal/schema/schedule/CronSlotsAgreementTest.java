package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The searches against a brute-force walk over every local minute around each DST change, resolved
 * by {@link ZonedDateTime#ofLocal} (which also moves gap times forward by the gap and takes the
 * earlier offset in an overlap). Catches search bugs the hand-computed cases do not reach: the
 * 24-hour gap when Samoa skipped 2011-12-30, half-hour gaps, 45-minute offsets.
 */
class CronSlotsAgreementTest {

  private static final Duration GRACE = Duration.ofMinutes(10);

  static Stream<Arguments> transitions() {
    List<String> expressions =
        List.of(
            "*/15 * * * *",
            "30 2 * * *",
            "15,40 2 * * *",
            "0 0 * * *",
            "45 1-3 * * *",
            "0 12 30 12 *",
            "*/7 0-4 * * *");
    List<Arguments> cases = new ArrayList<>();
    for (String zone :
        List.of(
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
            "America/St_Johns",
            "Pacific/Apia")) {
      ZoneId id = ZoneId.of(zone);
      Instant cursor =
          Instant.parse(
              zone.equals("Pacific/Apia") ? "2011-06-01T00:00:00Z" : "2026-01-01T00:00:00Z");
      for (int i = 0; i < 2; i++) {
        ZoneOffsetTransition transition = id.getRules().nextTransition(cursor);
        for (String expression : expressions) {
          cases.add(Arguments.of(zone, expression, transition.getInstant()));
        }
        cursor = transition.getInstant();
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} around {2}")
  @MethodSource("transitions")
  void agreesWithABruteForceWalkOverEveryLocalMinute(
      String zone, String expression, Instant change) {
    ZoneId id = ZoneId.of(zone);
    CronExpression cron = CronExpression.parse(expression);
    SlotSequence slots = Schedule.of("cron", null, expression, zone).slots(null);
    Instant from = change.minus(Duration.ofHours(30));
    Instant to = change.plus(Duration.ofHours(30));

    // Every matching local minute within two days of the window, by instant; lastAt per instant.
    TreeMap<Instant, Instant> expected = new TreeMap<>();
    LocalDateTime local = LocalDateTime.ofInstant(from, id).minusDays(2).withSecond(0).withNano(0);
    LocalDateTime end = LocalDateTime.ofInstant(to, id).plusDays(2);
    for (; local.isBefore(end); local = local.plusMinutes(1)) {
      if (cron.matches(local)) {
        ZonedDateTime zoned = ZonedDateTime.ofLocal(local, id, null);
        expected.merge(
            zoned.toInstant(),
            zoned.withLaterOffsetAtOverlap().toInstant(),
            (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    List<Instant> inWindow = new ArrayList<>(expected.subMap(from, to).keySet());

    assertThat(slots.between(from, to).map(Slot::at).toList()).isEqualTo(inWindow);
    assertThat(slots.between(from, to).map(Slot::lastAt).toList())
        .isEqualTo(inWindow.stream().map(expected::get).toList());

    List<Instant> backwards = new ArrayList<>();
    for (Optional<Slot> slot = slots.previous(to);
        slot.isPresent() && !slot.get().at().isBefore(from);
        slot = slots.previous(slot.get().at())) {
      backwards.add(slot.get().at());
    }
    Collections.reverse(backwards);
    assertThat(backwards).isEqualTo(inWindow);

    // Beyond the walk's end the reference knows nothing; a slot found there must lie beyond it.
    Instant walked = end.atZone(id).toInstant().minus(Duration.ofHours(1));
    for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(7))) {
      Instant now = t;
      Instant expectedNext = expected.higherKey(now);
      Optional<Instant> next = slots.next(now).map(Slot::at);
      if (expectedNext == null) {
        assertThat(next.filter(at -> at.isBefore(walked))).as("next after %s", now).isEmpty();
      } else {
        assertThat(next).as("next after %s", now).contains(expectedNext);
      }
      Optional<Instant> expectedDue =
          expected.entrySet().stream()
              .filter(e -> e.getValue().plus(GRACE).isAfter(now))
              .map(java.util.Map.Entry::getKey)
              .findFirst();
      Optional<Instant> due = slots.firstDueAfter(now, GRACE).map(Slot::at);
      if (expectedDue.isEmpty()) {
        assertThat(due.filter(at -> at.isBefore(walked))).as("first due after %s", now).isEmpty();
      } else {
        assertThat(due).as("first due after %s", now).isEqualTo(expectedDue);
      }
    }
  }
}
