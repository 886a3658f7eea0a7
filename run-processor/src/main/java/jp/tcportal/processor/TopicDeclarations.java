package jp.tcportal.processor;

import jp.tcportal.schema.topic.Topic;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Declares the topics this service reads and writes, so it works against a fresh broker. */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

  @Bean
  NewTopic runReportedTopic(TopicSettings settings) {
    return declare(Topics.RUN_REPORTED, settings);
  }

  @Bean
  NewTopic runReportedDeadLetterTopic(TopicSettings settings) {
    return declare(Topics.RUN_REPORTED_DEAD_LETTER, settings);
  }

  @Bean
  NewTopic monitorStatusChangedTopic(TopicSettings settings) {
    return declare(Topics.MONITOR_STATUS_CHANGED, settings);
  }

  private static NewTopic declare(Topic<?> topic, TopicSettings settings) {
    return TopicBuilder.name(topic.name())
        .partitions(settings.partitions())
        .replicas(settings.replicationFactor())
        .build();
  }
}
