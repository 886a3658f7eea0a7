package jp.tcportal.notifier.delivery;

import java.util.HashMap;
import java.util.Map;
import jp.tcportal.notifier.NotifierSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The status-event consumer: its own group, values read as bytes (the listener parses them, so an
 * unreadable record reaches the dead-letter topic with its original bytes), offsets committed only
 * after the ledger rows are.
 */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

  @Bean
  ConsumerFactory<String, byte[]> statusConsumerFactory(
      KafkaProperties kafka, NotifierSettings settings) {
    Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new DefaultKafkaConsumerFactory<>(properties);
  }

  /** Only for dead letters: the original key and bytes, acknowledged by all replicas. */
  @Bean
  KafkaTemplate<String, byte[]> deadLetterTemplate(KafkaProperties kafka) {
    Map<String, Object> properties = new HashMap<>(kafka.buildProducerProperties());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(properties));
  }

  /**
   * Unreadable records go to the dead-letter topic at once (waiting for its acknowledgement before
   * the offset moves); everything else, a database outage above all, is retried with capped
   * exponential pauses for as long as it takes, because giving up would drop an incident.
   */
  @Bean
  DefaultErrorHandler statusErrorHandler(
      KafkaTemplate<String, byte[]> deadLetterTemplate, NotifierSettings settings) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            deadLetterTemplate,
            (record, e) ->
                new TopicPartition(Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER.name(), -1));
    recoverer.setFailIfSendResultIsError(true);
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(settings.listenerRetryMaxInterval().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    backOff.setMaxAttempts(Long.MAX_VALUE);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    handler.setClassifications(Map.of(UnreadableEventException.class, false), true);
    return handler;
  }

  @Bean
  ConcurrentKafkaListenerContainerFactory<String, byte[]> kafkaListenerContainerFactory(
      ConsumerFactory<String, byte[]> statusConsumerFactory,
      DefaultErrorHandler statusErrorHandler) {
    ConcurrentKafkaListenerContainerFactory<String, byte[]> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(statusConsumerFactory);
    factory.getContainerProperties().setAckMode(AckMode.BATCH);
    factory.setCommonErrorHandler(statusErrorHandler);
    return factory;
  }
}
