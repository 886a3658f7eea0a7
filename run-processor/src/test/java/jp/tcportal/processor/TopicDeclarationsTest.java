package jp.tcportal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import jp.tcportal.schema.topic.TopicSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

/**
 * The processor declares its topics as the catalogue does (the gateway's tests check the same, so
 * both services create identical topics), with tcportal.topics.* from the deployment.
 */
class TopicDeclarationsTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(TopicDeclarations.class);

  @Test
  void declaresThePipelinesTopicsExactlyAsTheCatalogueDoes() {
    TopicSettings settings = new TopicSettings(12, (short) 3, 2);
    context
        .withPropertyValues(
            "tcportal.topics.partitions=12",
            "tcportal.topics.replication-factor=3",
            "tcportal.topics.min-insync-replicas=2")
        .run(
            started -> {
              Map<String, NewTopic> declared = started.getBeansOfType(NewTopic.class);
              assertThat(declared.values())
                  .extracting(NewTopic::name)
                  // The notifier declares its own dead-letter topic, from the same catalogue.
                  .containsExactlyInAnyOrder(
                      Topics.RUN_REPORTED_NAME,
                      Topics.RUN_REPORTED_DEAD_LETTER_NAME,
                      Topics.MONITOR_STATUS_CHANGED_NAME);
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
  void declaresSixPartitionsOnOneReplicaByDefault() {
    context.run(
        started -> {
          for (NewTopic topic : started.getBeansOfType(NewTopic.class).values()) {
            assertThat(topic.numPartitions()).isEqualTo(6);
            assertThat(topic.replicationFactor()).isEqualTo((short) 1);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "1");
          }
        });
  }

  @Test
  void sizesTheProducersRequestsLikeTheDeadLetterTopicsRecords() throws IOException {
    Object maxRequestSize =
        new YamlPropertySourceLoader()
            .load("application", new ClassPathResource("application.yaml"))
            .get(0)
            .getProperty("spring.kafka.producer.properties.max.request.size");

    assertThat(String.valueOf(maxRequestSize))
        .isEqualTo(String.valueOf(Topics.DEAD_LETTER_MAX_MESSAGE_BYTES));
  }
}
