package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.tcportal.schema.topic.Topics;
import jp.tcportal.testsupport.TestPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three KRaft brokers on loopback (replication factor 3, {@code min.insync.replicas} 2), the real
 * gateway and processor jars, and PostgreSQL: the broker leading a partition of the report topic is
 * stopped while reports are being posted, and every report the gateway acknowledged is stored.
 */
@Timeout(value = 12, unit = java.util.concurrent.TimeUnit.MINUTES)
class ThreeBrokerClusterIT {

  private static final String SECRET = "three-broker-secret";
  private static final int REPORTS_BEFORE_STOP = 60;
  private static final int REPORTS_DURING_STOP = 120;
  private static final int REPORTS_AFTER_STOP = 60;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final Map<Integer, KraftBroker> brokers = new ConcurrentHashMap<>();
  private static final List<ServiceProcess> services = new ArrayList<>();
  private static String bootstrap;
  private static String jdbcUrl;
  private static int gatewayPort;

  @BeforeAll
  static void startClusterAndServices() throws Exception {
    Checkout.assumeServiceJarsBuilt("ingest-gateway", "run-processor");
    Path gatewayJar = Checkout.serviceJar("ingest-gateway").orElseThrow();
    Path processorJar = Checkout.serviceJar("run-processor").orElseThrow();
    Path work = Checkout.freshDirectory("it-three-brokers");

    Map<Integer, int[]> ports = new HashMap<>();
    for (int node = 1; node <= 3; node++) {
      ports.put(node, new int[] {Checkout.freePort(), Checkout.freePort()});
    }
    String voters =
        ports.entrySet().stream()
            .map(entry -> entry.getKey() + "@127.0.0.1:" + entry.getValue()[1])
            .collect(Collectors.joining(","));
    bootstrap =
        ports.values().stream()
            .map(pair -> "127.0.0.1:" + pair[0])
            .collect(Collectors.joining(","));
    Map<String, String> replicated =
        Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("share.coordinator.state.topic.replication.factor", "3"),
            Map.entry("share.coordinator.state.topic.min.isr", "2"),
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            // A stopped broker vanishes as if it crashed: it hands nothing over, the controller
            // fences it when its session expires and moves leadership to an in-sync replica.
            // (It also lets the last nodes stop without waiting for a controller quorum.)
            Map.entry("controlled.shutdown.enable", "false"),
            Map.entry("broker.session.timeout.ms", "6000"),
            Map.entry("broker.heartbeat.interval.ms", "1000"));
    String clusterId = KraftBroker.newClusterId();
    // The nodes start together: each waits for a quorum of controllers before it serves.
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      int nodeId = node;
      starting.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  brokers.put(
                      nodeId,
                      KraftBroker.start(
                          nodeId,
                          work.resolve("kafka-" + nodeId),
                          ports.get(nodeId)[0],
                          ports.get(nodeId)[1],
                          voters,
                          clusterId,
                          replicated));
                } catch (Exception e) {
                  throw new IllegalStateException("Broker " + nodeId + " did not start", e);
                }
              }));
    }
    CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get();

    jdbcUrl = TestPostgres.newDatabase("three_brokers");
    gatewayPort = Checkout.freePort();
    int processorPort = Checkout.freePort();
    Path agent = LocalStack.writeWatchdogAgent(work.resolve("run"));
    String kafka = "--spring.kafka.bootstrap-servers=" + bootstrap;
    List<String> topics =
        List.of(
            "--tcportal.topics.replication-factor=3", "--tcportal.topics.min-insync-replicas=2");
    List<String> gatewayArgs = new ArrayList<>(List.of("--server.port=" + gatewayPort, kafka));
    gatewayArgs.addAll(topics);
    List<String> processorArgs =
        new ArrayList<>(
            List.of(
                "--server.port=" + processorPort,
                "--management.server.port=" + processorPort,
                kafka,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + TestPostgres.USER,
                "--spring.datasource.password=" + TestPostgres.PASSWORD));
    processorArgs.addAll(topics);
    services.add(
        ServiceProcess.start(
            new ServiceProcess.Spec(
                "gateway",
                gatewayJar,
                java.net.URI.create("http://127.0.0.1:" + gatewayPort + "/actuator/health"),
                "256m",
                gatewayArgs,
                Map.of("TC_PORTAL_WEBHOOK_SECRET", SECRET)),
            work.resolve("logs"),
            agent,
            "",
            null));
    services.add(
        ServiceProcess.start(
            new ServiceProcess.Spec(
                "processor",
                processorJar,
                java.net.URI.create("http://127.0.0.1:" + processorPort + "/actuator/health"),
                "256m",
                processorArgs,
                Map.of()),
            work.resolve("logs"),
            agent,
            "",
            null));
    for (ServiceProcess service : services) {
      service.awaitHealthy(Duration.ofMinutes(6), javax.net.ssl.SSLContext.getDefault());
    }
  }

  @AfterAll
  static void stopEverything() throws InterruptedException {
    services.forEach(ServiceProcess::beginStop);
    for (ServiceProcess service : services) {
      service.awaitStopped(Duration.ofSeconds(30));
    }
    brokers.values().parallelStream().forEach(KraftBroker::close);
  }

  @Test
  void storesEveryAcknowledgedReportWhileALeaderBrokerStops() throws Exception {
    TopicDescription topic = describeReportTopic();
    assertThat(topic.partitions())
        .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
    assertThat(minInsyncReplicasOfReportTopic()).isEqualTo("2");

    int leaderToStop =
        topic.partitions().stream()
            .filter(partition -> partition.partition() == 0)
            .map(TopicPartitionInfo::leader)
            .findFirst()
            .orElseThrow()
            .id();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> refused = new ArrayList<>();

    postReports(REPORTS_BEFORE_STOP, "before", acknowledged, refused);
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(() -> brokers.remove(leaderToStop).close());
    postReports(REPORTS_DURING_STOP, "during", acknowledged, refused);
    stopping.get();
    postReports(REPORTS_AFTER_STOP, "after", acknowledged, refused);

    System.out.println(
        "[three-brokers] stopped broker "
            + leaderToStop
            + "; 503 answers retried: "
            + refused.size());
    // Two of three replicas remain in sync, so the cluster keeps taking writes: a refusal (503)
    // may happen while leadership moves, but the client's retry with the same key gets through.
    assertThat(acknowledged)
        .hasSize(REPORTS_BEFORE_STOP + REPORTS_DURING_STOP + REPORTS_AFTER_STOP);
    assertThat(describeReportTopic().partitions())
        .extracting(partition -> partition.leader().id())
        .doesNotContain(leaderToStop);

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(storedReportIds(acknowledged)).isEqualTo(acknowledged));
    assertThat(runRowsFor(acknowledged)).isEqualTo(acknowledged.size());
  }

  private static final Pattern REPORT_ID = Pattern.compile("\"report_id\":\"([0-9a-f-]{36})\"");

  /** Posts like the clients do: one Idempotency-Key per run, retried on 503 with the same key. */
  private static void postReports(
      int count, String phase, Set<String> acknowledged, List<String> refused)
      throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      UUID idempotencyKey = UUID.randomUUID();
      String body =
          "{\"task_key\":\"cluster_"
              + phase
              + "_"
              + (i % 7)
              + "\",\"task_name\":\"クラスタ試験\",\"kind\":\"python\",\"status\":\""
              + (i % 3 == 0 ? "failed" : "success")
              + "\",\"exit_code\":"
              + (i % 3 == 0 ? 1 : 0)
              + ",\"message\":\"report "
              + i
              + " "
              + phase
              + "\"}";
      for (int attempt = 1; attempt <= 10; attempt++) {
        HttpResponse<String> response = post(idempotencyKey, body);
        if (response.statusCode() == 200) {
          // The answer names the id the run is stored under (the key scoped to its monitor).
          Matcher stored = REPORT_ID.matcher(response.body());
          assertThat(response.body()).contains("\"ok\":true");
          assertThat(stored.find()).as(response.body()).isTrue();
          acknowledged.add(stored.group(1));
          break;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        refused.add(idempotencyKey.toString());
        // Retry-After is the client's cue; the test waits on the condition, not on a clock.
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
      }
    }
  }

  private static HttpResponse<String> post(UUID idempotencyKey, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + "/api/monitor/report"))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("X-TC-Portal-Secret", SECRET)
            .header("Idempotency-Key", idempotencyKey.toString())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static Set<String> storedReportIds(Collection<String> wanted) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(jdbcUrl, TestPostgres.USER, TestPostgres.PASSWORD);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT report_id::text FROM task_monitor_runs WHERE report_id = ANY (?::uuid[])")) {
      Array ids = connection.createArrayOf("text", wanted.toArray());
      query.setArray(1, ids);
      Set<String> stored = new java.util.HashSet<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getString(1));
        }
      }
      return stored;
    } catch (SQLException e) {
      // The processor creates the tables at start-up; until then nothing is stored.
      if ("42P01".equals(e.getSQLState())) {
        return Set.of();
      }
      throw e;
    }
  }

  private static int runRowsFor(Collection<String> wanted) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(jdbcUrl, TestPostgres.USER, TestPostgres.PASSWORD);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM task_monitor_runs WHERE report_id = ANY (?::uuid[])")) {
      query.setArray(1, connection.createArrayOf("text", wanted.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30000));
  }

  private static TopicDescription describeReportTopic() throws Exception {
    try (Admin admin = admin()) {
      return admin
          .describeTopics(List.of(Topics.RUN_REPORTED.name()))
          .allTopicNames()
          .get()
          .get(Topics.RUN_REPORTED.name());
    }
  }

  private static String minInsyncReplicasOfReportTopic() throws Exception {
    ConfigResource resource =
        new ConfigResource(ConfigResource.Type.TOPIC, Topics.RUN_REPORTED.name());
    try (Admin admin = admin()) {
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      return config.get("min.insync.replicas").value();
    }
  }
}
