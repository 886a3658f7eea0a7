package jp.tcportal.gateway.publish;

import jp.tcportal.schema.topic.TopicSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Declares the topic the gateway writes, so a fresh broker works without manual set-up. The
 * declaration is the catalogue's ({@link jp.tcportal.schema.topic.Topic#declaration}), the same as
 * the processor's, so whichever service starts first creates the same topic.
 */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

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
}
