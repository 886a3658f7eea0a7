package jp.tcportal.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's own producer loop (what {@code ProducerPerformance} does) against the stack's broker:
 * {@code acks=all}, idempotent, lz4, the gateway's linger, records the size of a RunReported event,
 * keyed over 10,000 monitors, into a topic of its own with the run-reported topic's partitions.
 */
final class KafkaCeiling {

  static final String TOPIC = "tcportal.benchmark.producer-ceiling";

  private KafkaCeiling() {}

  /** Records acknowledged per second. */
  static double measure(String bootstrap, int records) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    byte[][] values = new byte[1000][];
    for (int i = 0; i < values.length; i++) {
      values[i] = Reports.event(Reports.body(Reports.taskKey(i), i), UUID.randomUUID());
    }
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      // Warm-up: connections, metadata, JIT.
      send(producer, values, records / 10);
      long start = System.nanoTime();
      send(producer, values, records);
      return records / ((System.nanoTime() - start) / 1e9);
    }
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private static void send(KafkaProducer<String, byte[]> producer, byte[][] values, int records)
      throws InterruptedException {
    AtomicLong failures = new AtomicLong();
    for (int i = 0; i < records; i++) {
      String key = Reports.monitorId(Reports.taskKey(i % 10_000)).toString();
      producer.send(
          new ProducerRecord<>(TOPIC, key, values[i % values.length]),
          (metadata, error) -> {
            if (error != null) {
              failures.incrementAndGet();
            }
          });
    }
    producer.flush();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " records were not acknowledged");
    }
  }
}
