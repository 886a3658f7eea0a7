package jp.tcportal.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real KRaft broker per test JVM (spring-kafka-test), and a reader of the run-reported topic
 * that keeps every record it has seen, so each test finds its own by a unique task key.
 */
public final class TestKafka {

  private static EmbeddedKafkaKraftBroker broker;
  private static KafkaConsumer<String, String> consumer;
  private static final List<ConsumerRecord<String, String>> SEEN = new CopyOnWriteArrayList<>();

  private TestKafka() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      broker = new EmbeddedKafkaKraftBroker(1, 1);
      broker.afterPropertiesSet();
      EmbeddedKafkaKraftBroker started = broker;
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
    }
    return broker.getBrokersAsString();
  }

  /** Waits until a record of the run-reported topic matches, and returns it. */
  public static synchronized ConsumerRecord<String, String> awaitRunReported(
      Predicate<ConsumerRecord<String, String>> wanted) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              pollOnce();
              return seen(wanted);
            },
            Optional::isPresent)
        .orElseThrow();
  }

  /** Every run-reported record read so far that matches. */
  public static synchronized Optional<ConsumerRecord<String, String>> seen(
      Predicate<ConsumerRecord<String, String>> wanted) {
    return SEEN.stream().filter(wanted).findFirst();
  }

  private static void pollOnce() {
    if (consumer == null) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "gateway-tests-" + UUID.randomUUID(),
                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                  false),
              new StringDeserializer(),
              new StringDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.RUN_REPORTED.name(), Duration.ofSeconds(10)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    consumer.poll(Duration.ofMillis(200)).forEach(SEEN::add);
  }
}
