package jp.tcportal.processor;

import jp.tcportal.schema.topic.TopicSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Declares the topics this service reads and writes, so it works against a fresh broker. Each
 * declaration is the catalogue's ({@link jp.tcportal.schema.topic.Topic#declaration}), the same as
 * the gateway's, so whichever service starts first creates the same topic. With {@code
 * spring.kafka.admin.modify-topic-configs} the catalogue's configs are also applied to topics that
 * exist already (a dead-letter topic created with the broker's 1 MiB default).
 */
@Configuration(proxyBeanMethods = false)
public class TopicDeclarations {

  /** {@code tcportal.topics.*}, with the defaults the catalogue defines. */
  @Bean
  TopicSettings topicSettings(Environment environment) {
    Binder binder = Binder.get(environment);
    return TopicSettings.from(key -> binder.bind(key, String.class).orElse(null));
  }

  @Bean
  NewTopic runReportedTopic(TopicSettings settings) {
    return Topics.RUN_REPORTED.declaration(settings);
  }

  @Bean
  NewTopic runReportedDeadLetterTopic(TopicSettings settings) {
    return Topics.RUN_REPORTED_DEAD_LETTER.declaration(settings);
  }

  @Bean
  NewTopic monitorStatusChangedTopic(TopicSettings settings) {
    return Topics.MONITOR_STATUS_CHANGED.declaration(settings);
  }
}
