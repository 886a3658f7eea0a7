package jp.tcportal.processor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the topics are created when a fresh broker does not have them yet (existing topics are left
 * as they are, except that Kafka's admin client may add partitions up to {@code partitions}).
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
