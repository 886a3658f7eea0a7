package jp.tcportal.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor's backlog: reports written straight into the run-reported topic as the gateway
 * would have published them, and the consumer group's lag (end offsets minus committed offsets).
 */
final class Backlog implements AutoCloseable {

  static final String PROCESSOR_GROUP = "tcportal-run-processor";

  private final String bootstrap;
  private final Admin admin;

  Backlog(String bootstrap) {
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  /**
   * Publishes {@code reports} events over {@code monitors} monitors, each with a fresh report id.
   */
  void produce(long reports, int monitors) throws InterruptedException {
    String topic = Topics.RUN_REPORTED.name();
    // One parsed report per monitor, each record with a fresh report id and received_at.
    String[] keys = new String[monitors];
    ReportParser.ParsedReport[] parsed = new ReportParser.ParsedReport[monitors];
    for (int m = 0; m < monitors; m++) {
      keys[m] = Reports.monitorId(Reports.taskKey(m)).toString();
      parsed[m] = Reports.parse(Reports.body(Reports.taskKey(m), m));
    }
    AtomicLong failures = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer = KafkaCeiling.producer(bootstrap)) {
      for (long i = 0; i < reports; i++) {
        int m = (int) (i % monitors);
        producer.send(
            new ProducerRecord<>(topic, keys[m], Reports.event(parsed[m], UUID.randomUUID())),
            (metadata, error) -> {
              if (error != null) {
                failures.incrementAndGet();
              }
            });
      }
      producer.flush();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " backlog records were not acknowledged");
    }
  }

  /** Records of the run-reported topic the processor has not committed yet. */
  long lag() throws Exception {
    String topic = Topics.RUN_REPORTED.name();
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(PROCESSOR_GROUP)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    long lag = 0;
    var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
    for (var end : ends.entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      lag += end.getValue().offset() - (done == null ? 0 : done.offset());
    }
    return lag;
  }

  @Override
  public void close() {
    admin.close();
  }
}
