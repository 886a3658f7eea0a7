package jp.tcportal.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import jp.tcportal.testsupport.ServiceProcess;

/**
 * Everything one scenario runs: its own Kafka cluster (1 or 3 nodes), its own PostgreSQL, and the
 * packaged processor and gateway jars as child processes. Each piece can be killed and started
 * again on the same ports and data.
 */
final class Topology implements AutoCloseable {

  static final String SECRET = "reliability-secret";
  static final Duration START_PATIENCE = Duration.ofSeconds(180);

  private final Path directory;
  private final KafkaCluster kafka;
  private final CrashablePostgres postgres;
  private final int processorPort = Ports.free();
  private final int gatewayPort = Ports.free();
  private static final Set<String> COPIED_JARS = new HashSet<>();
  private final Map<String, Integer> starts = new HashMap<>();
  private ServiceProcess processor;
  private ServiceProcess gateway;

  private Topology(Path directory, KafkaCluster kafka, CrashablePostgres postgres) {
    this.directory = directory;
    this.kafka = kafka;
    this.postgres = postgres;
  }

  /** Starts the engines, then the processor and the gateway side by side, and waits for health. */
  static Topology start(Path directory, int brokers) {
    CrashablePostgres postgres =
        CrashablePostgres.start(
            directory.resolve("postgres"), directory.getParent().resolve("postgres-binaries"));
    KafkaCluster kafka;
    try {
      kafka = KafkaCluster.start(brokers, directory);
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    Topology topology = new Topology(directory, kafka, postgres);
    try {
      CompletableFuture<Void> processorUp =
          CompletableFuture.runAsync(
              () -> topology.awaitHealthy(topology.startProcessor(), topology.processorPort));
      topology.awaitHealthy(topology.startGateway(), topology.gatewayPort);
      processorUp.join();
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
    return topology;
  }

  /** Launches a processor (without waiting for it), as a supervisor restarting it would. */
  synchronized ServiceProcess startProcessor() {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + CrashablePostgres.USER,
                "--spring.datasource.password=" + CrashablePostgres.USER,
                "--server.port=" + processorPort,
                // The same topic settings as the gateway's: the processor also declares (and, with
                // modify-topic-configs, aligns) the run topic's min.insync.replicas.
                "--tcportal.topics.replication-factor=" + kafka.size(),
                "--tcportal.topics.min-insync-replicas=" + Math.min(2, kafka.size()),
                // A killed instance's partitions are handed over when its session expires: 10 s
                // instead of the client default of 45 s keeps each scenario short. Production
                // keeps the default (docs/reliability.md).
                "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000"));
    processor = launch("run-processor", arguments, Map.of());
    return processor;
  }

  synchronized ServiceProcess startGateway() {
    gateway =
        launch(
            "ingest-gateway",
            List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=" + gatewayPort,
                "--tcportal.topics.replication-factor=" + kafka.size(),
                "--tcportal.topics.min-insync-replicas=" + Math.min(2, kafka.size())),
            Map.of("TC_PORTAL_WEBHOOK_SECRET", SECRET));
    return gateway;
  }

  /** {@code kill -9} of the processor: no shutdown hook, no offset commit, no rollback message. */
  void killProcessor() {
    kill(processor);
  }

  void killGateway() {
    kill(gateway);
  }

  void awaitProcessorHealthy() {
    awaitHealthy(processor, processorPort);
  }

  void awaitGatewayHealthy() {
    awaitHealthy(gateway, gatewayPort);
  }

  URI reportUri() {
    return URI.create("http://127.0.0.1:" + gatewayPort + "/api/monitor/report");
  }

  KafkaCluster kafka() {
    return kafka;
  }

  CrashablePostgres postgres() {
    return postgres;
  }

  Path directory() {
    return directory;
  }

  private ServiceProcess launch(String module, List<String> arguments, Map<String, String> env) {
    int start = starts.merge(module, 1, Integer::sum);
    return ServiceProcess.start(
        module + "-" + start, jar(module), arguments, env, directory.resolve("logs"));
  }

  private void awaitHealthy(ServiceProcess service, int port) {
    service.awaitHealthy(
        URI.create("http://127.0.0.1:" + port + "/actuator/health"), START_PATIENCE);
  }

  private static void kill(ServiceProcess service) {
    if (service == null) {
      return;
    }
    try {
      service.process().destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while killing a service", e);
    }
  }

  /**
   * The service jar as it was when the suite started: copied once per run, so a rebuild of the
   * module while the suite runs cannot swap the jar between two starts of a scenario.
   */
  private Path jar(String module) {
    Path copy = directory.getParent().resolve("jars").resolve(module + ".jar");
    synchronized (COPIED_JARS) {
      if (COPIED_JARS.add(module)) {
        try {
          Files.createDirectories(copy.getParent());
          Files.copy(ServiceProcess.moduleJar(module), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Could not copy the " + module + " jar: package the module first", e);
        }
      }
    }
    return copy;
  }

  @Override
  public void close() {
    for (ServiceProcess service : new ServiceProcess[] {gateway, processor}) {
      if (service != null) {
        service.close();
      }
    }
    kafka.close();
    postgres.close();
  }
}
