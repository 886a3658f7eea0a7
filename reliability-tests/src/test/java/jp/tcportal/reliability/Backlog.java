package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor's backlog on the report topic: each partition's end offset against the offset the
 * processor's consumer group committed (committed only after the batch's database transaction).
 */
final class Backlog {

  /** The processor's default consumer group ({@code tcportal.processor.group-id}). */
  static final String PROCESSOR_GROUP = "tcportal-run-processor";

  private final Admin admin;

  Backlog(Admin admin) {
    this.admin = admin;
  }

  /** Records on the report topic not yet committed by the processor. */
  long lag() throws Exception {
    Map<TopicPartition, Long> ends = endOffsets(Topics.RUN_REPORTED.name());
    Map<TopicPartition, Long> committed = committed();
    return ends.entrySet().stream()
        .mapToLong(end -> Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L)))
        .sum();
  }

  /**
   * How long after {@code faultEnded} the processor had committed everything that was on the topic
   * when the cluster first answered after the fault, while the load goes on. The end offsets are
   * taken as soon as the cluster answers, so records written later are not waited for.
   */
  Duration awaitDrained(Instant faultEnded, Duration patience) {
    AtomicReference<Map<TopicPartition, Long>> backlog = new AtomicReference<>();
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (backlog.get() == null) {
                backlog.set(endOffsets(Topics.RUN_REPORTED.name()));
              }
              Map<TopicPartition, Long> committed = committed();
              return backlog.get().entrySet().stream()
                  .allMatch(end -> committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
            });
    return Duration.between(faultEnded, Instant.now());
  }

  /** Records the processor dead-lettered (a stored report is never dead-lettered). */
  long deadLettered() throws Exception {
    String topic = Topics.RUN_REPORTED_DEAD_LETTER.name();
    if (!admin.listTopics().names().get().contains(topic)) {
      return 0;
    }
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> request =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .stream()
            .collect(
                Collectors.toMap(
                    partition -> new TopicPartition(topic, partition.partition()),
                    partition -> OffsetSpec.latest()));
    return admin.listOffsets(request).all().get().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry) ->
                    entry.getValue().offset()));
  }

  private Map<TopicPartition, Long> committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(PROCESSOR_GROUP).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream()
        .filter(entry -> entry.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
  }
}
