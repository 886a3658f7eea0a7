package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded broker is a real KRaft node whose log survives a restart on the same folder. */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class KraftBrokerTest {

  @Test
  void keepsRecordsNobodyConsumedAcrossARestart() throws Exception {
    Path logDir = Checkout.freshDirectory("test-kraft-broker").resolve("kafka");
    int port = Checkout.freePort();
    int controllerPort = Checkout.freePort();
    String voters = "1@127.0.0.1:" + controllerPort;

    try (KraftBroker broker =
            KraftBroker.start(
                1, logDir, port, controllerPort, voters, KraftBroker.newClusterId(), Map.of());
        KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("kept-reports", "monitor", "report " + i)).get();
      }
    }

    // Formatted already: the second start reuses the folder (and its cluster id) as it is.
    try (KraftBroker broker =
            KraftBroker.start(
                1, logDir, port, controllerPort, voters, KraftBroker.newClusterId(), Map.of());
        KafkaConsumer<String, String> consumer = consumer(broker.bootstrapServers())) {
      consumer.subscribe(List.of("kept-reports"));
      List<String> values = new ArrayList<>();
      // The consumer is single-threaded: poll it from this thread only.
      await()
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  values.add(record.value());
                }
                return values.size() >= 3;
              });
      assertThat(values).containsExactly("report 0", "report 1", "report 2");
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class));
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "kraft-broker-test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class));
  }
}
