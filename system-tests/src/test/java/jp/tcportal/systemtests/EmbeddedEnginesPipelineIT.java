package jp.tcportal.systemtests;

import jp.tcportal.testsupport.TestPostgres;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The pipeline scenario on spring-kafka-test's KRaft broker and zonky's PostgreSQL 17. */
class EmbeddedEnginesPipelineIT extends PipelineScenario {

  private EmbeddedKafkaKraftBroker kafka;

  @Override
  Engines startEngines() {
    kafka = new EmbeddedKafkaKraftBroker(1, 3);
    kafka.afterPropertiesSet();
    return new Engines(
        kafka.getBrokersAsString(),
        TestPostgres.newDatabase("pipeline"),
        TestPostgres.USER,
        TestPostgres.PASSWORD);
  }

  @Override
  void stopEngines() {
    if (kafka != null) {
      kafka.destroy();
    }
  }
}
