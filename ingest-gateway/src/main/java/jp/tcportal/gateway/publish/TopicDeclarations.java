package jp.tcportal.gateway.publish;

import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Declares the topic the gateway writes, so a fresh broker works without manual set-up. */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

  /**
   * Largest record the topic takes. An event carries the report's fields and the original body (up
   * to 1 MiB) as {@code raw}, so it may be larger than the broker's 1 MiB default; the producer's
   * {@code max.request.size} is set to the same value.
   */
  static final int MAX_MESSAGE_BYTES = 3 * 1024 * 1024;

  @Bean
  NewTopic runReportedTopic(TopicSettings settings) {
    return TopicBuilder.name(Topics.RUN_REPORTED.name())
        .partitions(settings.partitions())
        .replicas(settings.replicationFactor())
        .config(
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()))
        .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES))
        .build();
  }
}
