package jp.tcportal.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker from {@code kafka_2.13}, in KRaft combined mode (broker and controller in one
 * node), running in this JVM. Its log directory is formatted on first start and reused afterwards,
 * so records that were not consumed yet survive a restart.
 */
final class KraftBroker implements AutoCloseable {

  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final int nodeId;
  private final int port;
  private final KafkaRaftServer server;

  private KraftBroker(int nodeId, int port, KafkaRaftServer server) {
    this.nodeId = nodeId;
    this.port = port;
    this.server = server;
  }

  /**
   * Formats {@code logDir} if it holds no broker yet, then starts the node.
   *
   * @param voters the controller quorum, e.g. {@code 1@127.0.0.1:19093}; every node of one cluster
   *     gets the same string
   * @param clusterId used only when the directory is formatted; all nodes of a cluster share it
   * @param overrides broker settings on top of the defaults for a single-host node
   */
  static KraftBroker start(
      int nodeId,
      Path logDir,
      int port,
      int controllerPort,
      String voters,
      String clusterId,
      Map<String, String> overrides)
      throws Exception {
    Files.createDirectories(logDir);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", String.valueOf(nodeId));
    config.put("controller.quorum.voters", voters);
    config.put("controller.listener.names", CONTROLLER_LISTENER);
    config.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    config.put("log.dirs", logDir.toString());
    // One node: the internal topics cannot have more replicas than there are brokers.
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    config.put("offsets.topic.num.partitions", "10");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("num.partitions", "6");
    // A laptop stack: few threads, small buffers.
    config.put("num.network.threads", "2");
    config.put("num.io.threads", "4");
    config.put("num.recovery.threads.per.data.dir", "1");
    config.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    config.put("log.cleaner.threads", "1");
    config.put("background.threads", "4");
    config.putAll(overrides);

    KafkaConfig kafkaConfig = new KafkaConfig(config, false);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(kafkaConfig, nodeId, logDir, clusterId);
    }
    KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    server.startup();
    return new KraftBroker(nodeId, port, server);
  }

  static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  private static void format(KafkaConfig config, int nodeId, Path logDir, String clusterId)
      throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IOException(
          "Could not format the Kafka log directory "
              + logDir
              + ": "
              + output.toString(StandardCharsets.UTF_8),
          e);
    }
  }

  int nodeId() {
    return nodeId;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
