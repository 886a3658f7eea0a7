package jp.tcportal.schema.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The catalogue turns a topic and the deployment's settings into the topic's full declaration. */
class TopicDeclarationTests {

  @Test
  void declaresTheRunTopicWithThreeMebibyteRecordsAndTheDeploymentsReplication() {
    NewTopic topic = Topics.RUN_REPORTED.declaration(new TopicSettings(12, (short) 3, 2));

    assertThat(topic.name()).isEqualTo("tcportal.run-reported.v1");
    assertThat(topic.numPartitions()).isEqualTo(12);
    assertThat(topic.replicationFactor()).isEqualTo((short) 3);
    assertThat(topic.configs())
        .isEqualTo(Map.of("max.message.bytes", "3145728", "min.insync.replicas", "2"));
  }

  @Test
  void givesTheDeadLetterTopicRoomForAnyRunRecordPlusItsReasonHeaders() {
    NewTopic topic = Topics.RUN_REPORTED_DEAD_LETTER.declaration(TopicSettings.DEFAULTS);

    assertThat(topic.configs())
        .isEqualTo(Map.of("max.message.bytes", "4194304", "min.insync.replicas", "1"));
    assertThat(Topics.DEAD_LETTER_MAX_MESSAGE_BYTES)
        .isGreaterThanOrEqualTo(Topics.RUN_REPORTED_MAX_MESSAGE_BYTES + 64 * 1024);
  }

  @Test
  void leavesTheStatusTopicsRecordSizeAtTheBrokerDefault() {
    NewTopic topic = Topics.MONITOR_STATUS_CHANGED.declaration(TopicSettings.DEFAULTS);

    assertThat(topic.configs()).isEqualTo(Map.of("min.insync.replicas", "1"));
  }

  @Test
  void keepsEveryCompileTimeNameEqualToItsCatalogueEntry() {
    assertThat(Topics.RUN_REPORTED.name()).isEqualTo(Topics.RUN_REPORTED_NAME);
    assertThat(Topics.RUN_REPORTED_DEAD_LETTER.name())
        .isEqualTo(Topics.RUN_REPORTED_DEAD_LETTER_NAME);
    assertThat(Topics.MONITOR_STATUS_CHANGED.name()).isEqualTo(Topics.MONITOR_STATUS_CHANGED_NAME);
    assertThat(Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER.name())
        .isEqualTo(Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER_NAME);
    assertThat(Topics.ALL).extracting(Topic::name).doesNotHaveDuplicates().hasSize(4);
    assertThat(Topics.byName(Topics.RUN_REPORTED_NAME)).containsSame(Topics.RUN_REPORTED);
    assertThat(Topics.byName("tcportal.unknown.v1")).isEmpty();
  }

  @Test
  void takesTheDevelopmentDefaultsForUnsetProperties() {
    assertThat(TopicSettings.from(key -> null)).isEqualTo(new TopicSettings(6, (short) 1, 1));
  }

  @Test
  void readsEachPropertyUnderTheTopicsPrefix() {
    Map<String, String> properties =
        Map.of(
            "tcportal.topics.partitions", "12",
            "tcportal.topics.replication-factor", "3",
            "tcportal.topics.min-insync-replicas", "2");

    assertThat(TopicSettings.from(properties::get)).isEqualTo(new TopicSettings(12, (short) 3, 2));
  }

  @Test
  void refusesMoreInSyncReplicasThanReplicas() {
    assertThatThrownBy(() -> new TopicSettings(6, (short) 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min-insync-replicas");
  }

  @Test
  void refusesAPropertyThatIsNotANumber() {
    assertThatThrownBy(() -> TopicSettings.from(key -> key.endsWith("partitions") ? "six" : null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcportal.topics.partitions");
  }
}
