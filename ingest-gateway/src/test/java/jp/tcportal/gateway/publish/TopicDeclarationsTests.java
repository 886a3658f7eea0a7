package jp.tcportal.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import jp.tcportal.schema.topic.TopicSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The gateway declares its topic as the catalogue does (the processor's tests check the same, so
 * both services create identical topics), with tcportal.topics.* from the deployment.
 */
class TopicDeclarationsTests {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(TopicDeclarations.class);

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

  @Test
  void takesTheSettingsFromTheDocumentedEnvironmentVariables() {
    context
        .withInitializer(
            started ->
                started
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "TCPORTAL_TOPICS_PARTITIONS", "12",
                                "TCPORTAL_TOPICS_REPLICATIONFACTOR", "3",
                                "TCPORTAL_TOPICS_MININSYNCREPLICAS", "2"))))
        .run(
            started ->
                assertThat(started.getBean(TopicSettings.class))
                    .isEqualTo(new TopicSettings(12, (short) 3, 2)));
  }

  @Test
  void declaresEveryTopicExactlyAsTheCatalogueDoes() {
    TopicSettings settings = new TopicSettings(12, (short) 3, 2);
    context
        .withPropertyValues(
            "tcportal.topics.partitions=12",
            "tcportal.topics.replication-factor=3",
            "tcportal.topics.min-insync-replicas=2")
        .run(
            started -> {
              Map<String, NewTopic> declared = started.getBeansOfType(NewTopic.class);
              assertThat(declared).isNotEmpty();
              for (NewTopic topic : declared.values()) {
                NewTopic catalogue =
                    Topics.byName(topic.name())
                        .orElseThrow(() -> new AssertionError(topic.name() + " is not catalogued"))
                        .declaration(settings);
                // NewTopic's equals compares name, partitions, replication and configs.
                assertThat(topic).isEqualTo(catalogue);
              }
            });
  }

  @Test
  void sizesTheProducersRequestsLikeTheRunTopicsRecords() throws IOException {
    Object maxRequestSize =
        new YamlPropertySourceLoader()
            .load("application", new ClassPathResource("application.yaml"))
            .get(0)
            .getProperty("spring.kafka.producer.properties.max.request.size");

    assertThat(String.valueOf(maxRequestSize))
        .isEqualTo(String.valueOf(Topics.RUN_REPORTED_MAX_MESSAGE_BYTES));
  }
}
