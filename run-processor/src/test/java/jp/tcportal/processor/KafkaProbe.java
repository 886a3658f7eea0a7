package jp.tcportal.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records as the gateway would, and reads what the processor published. */
final class KafkaProbe implements AutoCloseable {

  private final String bootstrapServers;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, KafkaConsumer<String, byte[]>> consumers = new HashMap<>();
  private final Map<String, List<ConsumerRecord<String, byte[]>>> seen = new HashMap<>();

  KafkaProbe(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // Records as large as the run topic takes (the gateway's producer allows the same).
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    this.producer = new KafkaProducer<>(props);
  }

  /** Publishes the event keyed by its monitor id, and waits for the broker's acknowledgement. */
  void send(RunReported event) {
    sendRaw(event.monitorId().toString(), Reports.json(event));
  }

  /** Publishes many events without waiting for each, then waits for all acknowledgements. */
  void sendAll(List<RunReported> events) {
    List<java.util.concurrent.Future<?>> sends = new ArrayList<>(events.size());
    for (RunReported event : events) {
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.RUN_REPORTED.name(), event.monitorId().toString(), Reports.json(event))));
    }
    producer.flush();
    try {
      for (java.util.concurrent.Future<?> send : sends) {
        send.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not publish test records", e);
    }
  }

  void sendRaw(String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(Topics.RUN_REPORTED.name(), key, value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not publish a test record", e);
    }
  }

  /** A topic's effective configuration value (its own, else the broker's default). */
  String topicConfig(String topic, String name) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name).value();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not read the configuration of " + topic, e);
    }
  }

  /** Sets one configuration value of a topic, as an operator would with kafka-configs. */
  void setTopicConfig(String topic, String name, String value) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
          .all()
          .get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not configure " + topic, e);
    }
  }

  /** Everything read so far from {@code topic} (from its beginning), after one more poll. */
  synchronized List<ConsumerRecord<String, byte[]>> records(String topic) {
    KafkaConsumer<String, byte[]> consumer =
        consumers.computeIfAbsent(
            topic,
            name -> {
              KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(consumerProps());
              created.subscribe(List.of(name));
              return created;
            });
    List<ConsumerRecord<String, byte[]>> all = seen.computeIfAbsent(topic, t -> new ArrayList<>());
    consumer.poll(Duration.ofMillis(300)).forEach(all::add);
    return List.copyOf(all);
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  @Override
  public synchronized void close() {
    producer.close();
    consumers.values().forEach(KafkaConsumer::close);
  }
}
