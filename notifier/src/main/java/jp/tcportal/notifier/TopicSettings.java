package jp.tcportal.notifier;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the notifier's dead-letter topic is created on a fresh broker (as the processor's topics).
 */
@ConfigurationProperties("tcportal.topics")
public record TopicSettings(
    @DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {

  public TopicSettings {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException(
          "tcportal.topics.partitions and replication-factor must be at least 1");
    }
  }
}
