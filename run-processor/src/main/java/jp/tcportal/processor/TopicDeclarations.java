package jp.tcportal.processor;

import jp.tcportal.schema.topic.Topic;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Declares the topics this service reads and writes, so it works against a fresh broker. With
 * {@code spring.kafka.admin.modify-topic-configs} the size limits are also raised on topics that
 * exist already (a dead-letter topic created with the broker's 1 MiB default).
 */
@Configuration(proxyBeanMethods = false)
public class TopicDeclarations {

  /**
   * Largest record of the run topic, as the gateway declares it: an event carries the body (up to 1
   * MiB) as {@code raw} besides its fields. Declared here too, so whichever service creates the
   * topic first gives it the same limit.
   */
  public static final int RUN_REPORTED_MAX_MESSAGE_BYTES = 3 * 1024 * 1024;

  /**
   * Largest record of the dead-letter topic, and the processor producer's {@code max.request.size}:
   * any record of the run topic plus the reason and stack-trace headers. With Kafka's 1 MiB default
   * a refused record near 1 MiB could never be dead-lettered.
   */
  public static final int DEAD_LETTER_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  @Bean
  NewTopic runReportedTopic(TopicSettings settings) {
    return declare(Topics.RUN_REPORTED, settings, RUN_REPORTED_MAX_MESSAGE_BYTES);
  }

  @Bean
  NewTopic runReportedDeadLetterTopic(TopicSettings settings) {
    return declare(Topics.RUN_REPORTED_DEAD_LETTER, settings, DEAD_LETTER_MAX_MESSAGE_BYTES);
  }

  @Bean
  NewTopic monitorStatusChangedTopic(TopicSettings settings) {
    return TopicBuilder.name(Topics.MONITOR_STATUS_CHANGED.name())
        .partitions(settings.partitions())
        .replicas(settings.replicationFactor())
        .build();
  }

  private static NewTopic declare(Topic<?> topic, TopicSettings settings, int maxMessageBytes) {
    return TopicBuilder.name(topic.name())
        .partitions(settings.partitions())
        .replicas(settings.replicationFactor())
        .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes))
        .build();
  }
}
