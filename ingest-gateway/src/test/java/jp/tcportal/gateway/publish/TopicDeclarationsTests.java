package jp.tcportal.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The topic declaration follows tcportal.topics.*: development defaults, production overrides. */
class TopicDeclarationsTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(TopicSettings.class)
  @Import(TopicDeclarations.class)
  static class Declarations {}

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(Declarations.class);

  @Test
  void declaresSixPartitionsOnOneReplicaByDefault() {
    context.run(
        started -> {
          NewTopic topic = started.getBean(NewTopic.class);
          assertThat(topic.name()).isEqualTo(Topics.RUN_REPORTED.name());
          assertThat(topic.numPartitions()).isEqualTo(6);
          assertThat(topic.replicationFactor()).isEqualTo((short) 1);
          assertThat(topic.configs()).containsEntry("min.insync.replicas", "1");
          assertThat(topic.configs()).containsEntry("max.message.bytes", "3145728");
        });
  }

  @Test
  void takesProductionReplicationFromSettings() {
    context
        .withPropertyValues(
            "tcportal.topics.partitions=12",
            "tcportal.topics.replication-factor=3",
            "tcportal.topics.min-insync-replicas=2")
        .run(
            started -> {
              NewTopic topic = started.getBean(NewTopic.class);
              assertThat(topic.numPartitions()).isEqualTo(12);
              assertThat(topic.replicationFactor()).isEqualTo((short) 3);
              assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
            });
  }
}
