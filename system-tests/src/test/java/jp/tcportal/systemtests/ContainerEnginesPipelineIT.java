package jp.tcportal.systemtests;

import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same scenario on Testcontainers' Kafka and PostgreSQL, for machines with a Docker engine. It
 * is skipped where there is none (as on the build machines of this project), never replaced by a
 * stub.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerEnginesPipelineIT extends PipelineScenario {

  private KafkaContainer kafka;
  private PostgreSQLContainer postgres;

  @Override
  Engines startEngines() {
    kafka = new KafkaContainer("apache/kafka:4.1.1");
    postgres = new PostgreSQLContainer("postgres:17.6");
    kafka.start();
    postgres.start();
    return new Engines(
        kafka.getBootstrapServers(),
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword());
  }

  @Override
  void stopEngines() {
    if (kafka != null) {
      kafka.stop();
    }
    if (postgres != null) {
      postgres.stop();
    }
  }
}
