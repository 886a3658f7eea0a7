package jp.tcportal.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jp.tcportal.notifier.webhook.StandardWebhookSignature;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.topic.Topics;
import jp.tcportal.testsupport.ServiceProcess;
import jp.tcportal.testsupport.TestPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The packaged notifier killed with SIGKILL in the middle of a flood, then started again: every
 * incident reaches the webhook receiver, and the only repeats are deliveries that were in flight at
 * the kill, with the same {@code webhook-id}.
 */
class NotifierKillIT {

  private static final Duration PATIENCE = Duration.ofSeconds(240);
  private static final int FLOOD = 100;
  private static final int AFTER_KILL = 20;
  private static final int SENDER_THREADS = 4;

  private static EmbeddedKafkaKraftBroker broker;
  private static CaptureServer receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static JdbcTemplate jdbc;
  private static Map<String, String> environment;
  private static int port;

  @BeforeAll
  static void infrastructure() throws IOException {
    broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.MONITOR_STATUS_CHANGED.name());
    broker.afterPropertiesSet();
    String url = TestPostgres.newDatabase("notifier_kill");
    jdbc =
        new JdbcTemplate(
            new DriverManagerDataSource(url, TestPostgres.USER, TestPostgres.PASSWORD));
    receiver = new CaptureServer();
    receiver.delay(Duration.ofMillis(60));
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    environment = new HashMap<>();
    environment.put("SPRING_DATASOURCE_URL", url);
    environment.put("SPRING_DATASOURCE_USERNAME", TestPostgres.USER);
    environment.put("SPRING_DATASOURCE_PASSWORD", TestPostgres.PASSWORD);
    environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", broker.getBrokersAsString());
    environment.put("SERVER_PORT", String.valueOf(port));
    environment.put("TCPORTAL_TOPICS_PARTITIONS", "3");
    environment.put("TC_PORTAL_ENCRYPTION_KEY", TestChannels.KEY);
    environment.put("TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS", "true");
    environment.put("TCPORTAL_NOTIFIER_POLL_INTERVAL", "200ms");
    environment.put("TCPORTAL_NOTIFIER_SEND_TIMEOUT", "2s");
    environment.put("TCPORTAL_NOTIFIER_CLAIM_LEASE", "4s");
    environment.put("TCPORTAL_NOTIFIER_SENDER_THREADS", String.valueOf(SENDER_THREADS));
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(properties);
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (broker != null) {
      broker.destroy();
    }
  }

  private static ServiceProcess startNotifier(String name) {
    return ServiceProcess.start(
            name,
            ServiceProcess.moduleJar("notifier"),
            List.of(),
            environment,
            Path.of("target", "kill-it"))
        .awaitHealthy(URI.create("http://127.0.0.1:" + port + "/actuator/health"), PATIENCE);
  }

  private static List<MonitorStatusChanged> flood(String key, int count) throws Exception {
    List<MonitorStatusChanged> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MonitorStatusChanged event =
          Events.failed(key, "PC-" + UUID.randomUUID(), 1, 1, "boom", Instant.now());
      events.add(event);
      producer.send(
          new ProducerRecord<>(
              Topics.MONITOR_STATUS_CHANGED.name(),
              event.monitorId().toString(),
              EventJson.mapper().writeValueAsBytes(event)));
    }
    producer.flush();
    return events;
  }

  @Test
  void deliversEveryIncidentAfterAKillMidFloodAndRepeatsOnlyWhatWasInFlight() throws Exception {
    ServiceProcess first = startNotifier("notifier-1");
    String key = "kill_" + UUID.randomUUID().toString().substring(0, 8);
    String path = "/hook/" + key;
    new TestChannels(jdbc)
        .add(
            "webhook",
            receiver.url(path),
            StandardWebhookSignature.newSecret(),
            List.of(),
            "en",
            Map.of("task_key", key));
    List<MonitorStatusChanged> events = new ArrayList<>(flood(key, FLOOD));

    await().atMost(PATIENCE).until(() -> receiver.requests(path).size() >= 20);
    first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close.
    first.process().waitFor(30, TimeUnit.SECONDS);
    int receivedBeforeKill = receiver.requests(path).size();
    assertThat(receivedBeforeKill).isLessThan(FLOOD);
    events.addAll(flood(key, AFTER_KILL));

    try (ServiceProcess second = startNotifier("notifier-2")) {
      Set<String> expected =
          events.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  receiver.requests(path).stream()
                      .map(r -> r.header("webhook-id"))
                      .collect(Collectors.toSet())
                      .containsAll(expected));
      // The receiver may have the last one a moment before the ledger says so.
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  jdbc.queryForObject(
                      "SELECT count(*) FROM notification_deliveries WHERE state = 'sent'",
                      Long.class),
              sent -> sent == FLOOD + AFTER_KILL);
    }
    Map<String, Long> timesReceived =
        receiver.requests(path).stream()
            .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
    List<String> repeated =
        timesReceived.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .toList();
    // Only a delivery claimed at the kill can be sent again, at most once per sender thread.
    assertThat(repeated.size()).isLessThanOrEqualTo(SENDER_THREADS);
    assertThat(timesReceived.values()).allMatch(n -> n <= 2);
    assertThat(timesReceived.keySet())
        .containsExactlyInAnyOrderElementsOf(
            events.stream().map(e -> e.eventId().toString()).toList());
  }
}
