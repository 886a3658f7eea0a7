package jp.tcportal.schema.report;

/**
 * What the spec's server accepted and this one stores in a documented form instead of refusing
 * (docs/monitoring/SPEC.md, "accepted as the spec's server did"); each is counted by kind.
 */
public enum Leniency {
  /** An instant without an offset, read in the configured client zone. */
  ASSUMED_ZONE("assumed_zone"),
  /**
   * {@code message}, {@code log_url} or {@code task_name} over its limit, stored cut with a marker.
   */
  TRUNCATED("truncated"),
  /** {@code duration_ms} with a fraction, rounded half up. */
  DURATION_ROUNDED("duration_rounded"),
  /** A negative {@code duration_ms}, stored as null. */
  DURATION_NEGATIVE("duration_negative");

  private final String kind;

  Leniency(String kind) {
    this.kind = kind;
  }

  /** The {@code kind} tag of the metric. */
  public String kind() {
    return kind;
  }
}
