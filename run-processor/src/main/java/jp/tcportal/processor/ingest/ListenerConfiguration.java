package jp.tcportal.processor.ingest;

import java.util.HashMap;
import java.util.Map;
import jp.tcportal.processor.ProcessorSettings;
import jp.tcportal.schema.event.JsonEventDeserializer;
import jp.tcportal.schema.event.RunReported;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/** The run-reported consumer: batches, offsets after the batch, retries without end. */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

  @Bean
  ConsumerFactory<String, RunReported> runReportedConsumerFactory(
      KafkaProperties kafka, ProcessorSettings settings) {
    Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    // Offsets are committed by the container after each stored batch, never in the background.
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    // A value that cannot be read arrives as null with the reason in a header, instead of
    // failing the poll; the listener sends it to the dead-letter topic.
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
    properties.put(
        ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS,
        JsonEventDeserializer.RunReportedDeserializer.class);
    return new DefaultKafkaConsumerFactory<>(properties);
  }

  /**
   * Retries a failed batch with exponential pauses capped at {@code retry-max-interval}, and never
   * gives up: a batch fails as a whole only for an outage (record-level data problems are handled
   * in the listener), and giving up would skip good records.
   */
  @Bean
  DefaultErrorHandler runReportedErrorHandler(ProcessorSettings settings) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(settings.retryInitialInterval().toMillis(), 2.0);
    backOff.setMaxInterval(settings.retryMaxInterval().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    backOff.setMaxAttempts(Long.MAX_VALUE);
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            (record, e) -> {
              throw new IllegalStateException("Retries never end; refusing to skip " + record, e);
            },
            backOff);
    // Every failure is worth retrying here, including those Spring deems fatal by default.
    handler.setClassifications(Map.of(), true);
    return handler;
  }

  /** Replaces Boot's default factory, so there is one listener configuration to read. */
  @Bean
  ConcurrentKafkaListenerContainerFactory<String, RunReported> kafkaListenerContainerFactory(
      ConsumerFactory<String, RunReported> runReportedConsumerFactory,
      DefaultErrorHandler runReportedErrorHandler,
      ProcessorSettings settings) {
    ConcurrentKafkaListenerContainerFactory<String, RunReported> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(runReportedConsumerFactory);
    factory.setBatchListener(true);
    factory.setConcurrency(settings.concurrency());
    factory.getContainerProperties().setAckMode(AckMode.BATCH);
    factory.setCommonErrorHandler(runReportedErrorHandler);
    return factory;
  }
}
