package jp.tcportal.incidents.badge;

import java.time.Instant;

/**
 * What live updates compare: the newest {@code updated_at} of any monitor (the processor moves it
 * on every report, this service on every enable/disable) and the badge count. Two index probes.
 *
 * @param count the badge count
 * @param version changes whenever any monitor row changes
 */
record ChangeMarker(long count, String version) {

  static ChangeMarker of(long count, Instant lastUpdatedAt) {
    String version =
        lastUpdatedAt == null
            ? "0"
            : Long.toString(
                lastUpdatedAt.getEpochSecond() * 1_000_000 + lastUpdatedAt.getNano() / 1_000);
    return new ChangeMarker(count, version + "-" + count);
  }
}
