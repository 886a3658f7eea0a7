package jp.tcportal.reliability;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * One or three {@link KafkaNode}s forming a KRaft cluster on loopback. With three nodes the topics
 * are replicated three times with {@code min.insync.replicas} 2, as in production.
 */
final class KafkaCluster implements AutoCloseable {

  private final List<KafkaNode> nodes;
  private final Admin admin;

  private KafkaCluster(List<KafkaNode> nodes) {
    this.nodes = nodes;
    Properties settings = new Properties();
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(nodes));
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    this.admin = Admin.create(settings);
  }

  static KafkaCluster start(int size, Path directory) {
    Map<Integer, int[]> ports = new LinkedHashMap<>();
    for (int node = 1; node <= size; node++) {
      ports.put(node, new int[] {Ports.free(), Ports.free()});
    }
    String voters =
        ports.entrySet().stream()
            .map(entry -> entry.getKey() + "@127.0.0.1:" + entry.getValue()[1])
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    String replicas = String.valueOf(size);
    String minInSync = String.valueOf(Math.min(2, size));
    Map<String, String> settings =
        Map.of(
            "default.replication.factor", replicas,
            "min.insync.replicas", minInSync,
            "offsets.topic.replication.factor", replicas,
            "offsets.topic.num.partitions", "6",
            "transaction.state.log.replication.factor", replicas,
            "transaction.state.log.min.isr", minInSync,
            "share.coordinator.state.topic.replication.factor", replicas,
            "share.coordinator.state.topic.min.isr", minInSync,
            "num.partitions", "6");
    List<KafkaNode> nodes = new ArrayList<>();
    ports.forEach(
        (id, nodePorts) ->
            nodes.add(
                KafkaNode.format(
                    id,
                    directory.resolve("kafka-" + id),
                    nodePorts[0],
                    nodePorts[1],
                    voters,
                    clusterId,
                    settings)));
    nodes.forEach(KafkaNode::start);
    KafkaCluster cluster = new KafkaCluster(nodes);
    cluster.awaitAllNodesUp(Duration.ofSeconds(120));
    return cluster;
  }

  /** Waits until every node is registered with the cluster and answering. */
  void awaitAllNodesUp(Duration patience) {
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              nodes.forEach(
                  node -> {
                    if (!node.isAlive()) {
                      throw new IllegalStateException(
                          "Kafka node " + node.nodeId() + " exited, see " + node.log());
                    }
                  });
              return admin.describeCluster().nodes().get().size() == nodes.size();
            });
  }

  /** The node currently leading {@code partition} of {@code topic}. */
  KafkaNode leaderOf(String topic, int partition) throws Exception {
    int leader =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .get(partition)
            .leader()
            .id();
    return node(leader);
  }

  KafkaNode node(int id) {
    return nodes.stream()
        .filter(node -> node.nodeId() == id)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No Kafka node " + id));
  }

  int size() {
    return nodes.size();
  }

  Admin admin() {
    return admin;
  }

  String bootstrapServers() {
    return bootstrapServers(nodes);
  }

  private static String bootstrapServers(List<KafkaNode> nodes) {
    return nodes.stream().map(KafkaNode::address).collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    nodes.forEach(KafkaNode::stop);
  }
}
