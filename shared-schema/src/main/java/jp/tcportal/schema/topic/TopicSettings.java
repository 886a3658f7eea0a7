package jp.tcportal.schema.topic;

import java.util.function.UnaryOperator;

/**
 * What a deployment decides about the topics a service creates when a fresh broker does not have
 * them yet ({@code tcportal.topics.*}). The defaults suit a single development broker; production
 * sets a replication factor of 3 and 2 in-sync replicas, so an acknowledged record survives the
 * loss of one broker. The one definition of these defaults: the services bind it through {@link
 * #from} and do not repeat them in {@code application.yaml}.
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas) {

  /** The property prefix, {@code tcportal.topics}. */
  public static final String PREFIX = "tcportal.topics";

  public static final TopicSettings DEFAULTS = new TopicSettings(6, (short) 1, 1);

  public TopicSettings {
    if (partitions < 1 || replicationFactor < 1 || minInsyncReplicas < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".partitions, replication-factor and min-insync-replicas must be at least 1");
    }
    if (minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          PREFIX
              + ".min-insync-replicas ("
              + minInsyncReplicas
              + ") cannot exceed replication-factor ("
              + replicationFactor
              + "): no acknowledged write would succeed");
    }
  }

  /**
   * Reads the settings through {@code property} (a service's Spring {@code Binder}, so that
   * environment variables such as {@code TCPORTAL_TOPICS_REPLICATIONFACTOR} work), taking the
   * default for every property it returns {@code null} for.
   */
  public static TopicSettings from(UnaryOperator<String> property) {
    return new TopicSettings(
        read(property, "partitions", DEFAULTS.partitions()),
        (short) read(property, "replication-factor", DEFAULTS.replicationFactor()),
        read(property, "min-insync-replicas", DEFAULTS.minInsyncReplicas()));
  }

  private static int read(UnaryOperator<String> property, String name, int fallback) {
    String key = PREFIX + "." + name;
    String value = property.apply(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
    }
  }
}
