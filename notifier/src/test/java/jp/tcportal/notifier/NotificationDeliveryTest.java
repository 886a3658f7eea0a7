package jp.tcportal.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import jp.tcportal.notifier.CaptureServer.Answer;
import jp.tcportal.notifier.webhook.StandardWebhookSignature;
import jp.tcportal.schema.event.EventJson;
import jp.tcportal.schema.event.MonitorStatusChanged;
import jp.tcportal.schema.report.RunStatus;
import jp.tcportal.schema.topic.Topics;
import jp.tcportal.testsupport.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The notifier end to end on a real KRaft broker, PostgreSQL 17, capture HTTP servers standing in
 * for Slack, Teams and a webhook receiver, and GreenMail for SMTP. Events go in as the processor's
 * outbox relay writes them; the assertions read what the stand-ins received and the ledger.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.topics.partitions=1",
      "tcportal.notifier.allow-insecure-targets=true",
      "tcportal.notifier.poll-interval=100ms",
      "tcportal.notifier.retry-initial-delay=200ms",
      "tcportal.notifier.retry-max-delay=1s",
      "tcportal.notifier.send-timeout=2s",
      "tcportal.notifier.claim-lease=5s",
      "tcportal.notifier.listener-retry-max-interval=1s",
      "tcportal.notifier.public-url=https://portal.example.co.jp",
      "tcportal.notifier.mail-from=portal@example.co.jp"
    })
@EmbeddedKafka(
    topics = "tcportal.monitor-status-changed.v1",
    partitions = 3,
    bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class NotificationDeliveryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private static final CaptureServer TARGETS = new CaptureServer();

  static {
    SMTP.start();
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    String url = TestPostgres.newDatabase("notifier");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
    registry.add("tcportal.notifier.encryption-key", () -> TestChannels.KEY);
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
  }

  private static KafkaProducer<String, byte[]> producer;
  private static String bootstrapServers;

  @Autowired private JdbcTemplate jdbc;
  @LocalServerPort private int port;

  private TestChannels channels;

  @BeforeAll
  static void connect(@Value("${spring.kafka.bootstrap-servers}") String servers) {
    bootstrapServers = servers;
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(properties);
  }

  @AfterAll
  static void disconnect() {
    producer.close();
    TARGETS.close();
    SMTP.stop();
  }

  @BeforeEach
  void channels() {
    channels = new TestChannels(jdbc);
  }

  private static void publish(MonitorStatusChanged event) {
    publish(event.monitorId().toString(), EventJson.mapper().writeValueAsBytes(event));
  }

  private static void publish(String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(Topics.MONITOR_STATUS_CHANGED.name(), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unique(String name) {
    return name + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private UUID channel(String type, String path, String language, String taskKey) {
    return channels.add(
        type, TARGETS.url(path), null, List.of(), language, Map.of("task_key", taskKey));
  }

  private List<Map<String, Object>> awaitStates(UUID channel, String... states) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> channels.deliveries(channel),
            rows -> rows.stream().map(r -> r.get("state")).toList().equals(List.of(states)));
  }

  @Test
  void sendsAFailedStatusToSlackWithTextAndBlocks() {
    String key = unique("nightly_import");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "ja", key);

    publish(Events.failed(key, "PC-01", 1, 2, "ValueError: <bad> & worse", Instant.now()));

    List<Map<String, Object>> rows = awaitStates(channel, "sent");
    assertThat(rows.get(0)).containsEntry("attempts", 1).containsEntry("notice", "opened");
    List<CaptureServer.Request> received = TARGETS.requests(path);
    assertThat(received).hasSize(1);
    JsonNode body = EventJson.mapper().readTree(received.get(0).body());
    assertThat(body.get("text").asString()).startsWith("【失敗】").contains(key, "PC-01", "終了コード 2");
    assertThat(body.get("blocks").toString())
        .contains("ValueError: &lt;bad&gt; &amp; worse")
        .contains("https://portal.example.co.jp/monitors/" + Events.monitorId(key, "PC-01"));
  }

  @Test
  void recordsNothingWhenASuccessFollowsASuccess() {
    String key = unique("quiet");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);
    MonitorStatusChanged quiet =
        Events.event(key, "PC-01", RunStatus.SUCCESS, RunStatus.SUCCESS, 0, 0, "ok", Instant.now());
    MonitorStatusChanged marker = Events.failed(key, "PC-01", 1, 1, "boom", Instant.now());

    publish(quiet);
    publish(marker);

    // The marker, published after the quiet event on the same partition, proves it was consumed.
    List<Map<String, Object>> rows = awaitStates(channel, "sent");
    assertThat(rows.get(0)).containsEntry("event_id", marker.eventId());
  }

  @Test
  void sendsNothingForAMonitorAnAdminDisabled() {
    String key = unique("disabled");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);
    MonitorStatusChanged muted = Events.failed(key, "PC-MUTED", 1, 1, "boom", Instant.now());
    jdbc.update(
        "INSERT INTO task_monitors (id, task_key, task_name, kind, machine_name, enabled)"
            + " VALUES (?, ?, 'x', 'python', 'PC-MUTED', false)",
        muted.monitorId(),
        key);
    MonitorStatusChanged marker = Events.failed(key, "PC-LOUD", 1, 1, "boom", Instant.now());

    publish(muted);
    // Same key, so same partition: once the marker is recorded, the muted event was consumed.
    publish(muted.monitorId().toString(), EventJson.mapper().writeValueAsBytes(marker));

    List<Map<String, Object>> rows = awaitStates(channel, "sent");
    assertThat(rows.get(0)).containsEntry("event_id", marker.eventId());
  }

  @Test
  void retriesAfterTwoServerErrorsAndDeliversExactlyOnce() {
    String key = unique("retry");
    String path = "/slack/" + key;
    TARGETS.script(path, Answer.of(500, "oops"), Answer.of(500, "oops"));
    UUID channel = channel("slack", path, "en", key);

    publish(Events.failed(key, "PC-02", 1, 1, "boom", Instant.now()));

    List<Map<String, Object>> rows = awaitStates(channel, "sent");
    assertThat(rows.get(0)).containsEntry("attempts", 3);
    assertThat(rows.get(0).get("last_error")).isNull();
    await()
        .during(Duration.ofMillis(800))
        .atMost(PATIENCE)
        .until(() -> TARGETS.requests(path).size() == 3);
    assertThat(TARGETS.requests(path).stream().map(CaptureServer.Request::answeredStatus))
        .containsExactly(500, 500, 200);
  }

  @Test
  void waitsAsLongAsRetryAfterAsks() {
    String key = unique("throttled");
    String path = "/slack/" + key;
    TARGETS.script(path, new Answer(429, "rate_limited", Map.of("Retry-After", "2")));
    UUID channel = channel("slack", path, "en", key);

    publish(Events.failed(key, "PC-03", 1, 1, "boom", Instant.now()));

    awaitStates(channel, "sent");
    List<CaptureServer.Request> received = TARGETS.requests(path);
    assertThat(received).hasSize(2);
    // Without Retry-After the next try would come after 100-200 ms.
    assertThat(Duration.between(received.get(0).at(), received.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void disablesASlackChannelWhoseWebhookIsGone() {
    String key = unique("gone");
    String path = "/slack/" + key;
    TARGETS.script(path, Answer.of(404, "no_service"));
    UUID channel = channel("slack", path, "ja", key);

    publish(Events.failed(key, "PC-04", 1, 1, "boom", Instant.now()));

    await()
        .atMost(PATIENCE)
        .until(() -> channels.channel(channel), row -> Boolean.FALSE.equals(row.get("enabled")));
    assertThat((String) channels.channel(channel).get("disabled_reason"))
        .contains("404")
        .contains("no_service");
    List<Map<String, Object>> rows = awaitStates(channel, "dead");
    assertThat((String) rows.get(0).get("last_error")).contains("404");
    await().during(Duration.ofMillis(500)).until(() -> TARGETS.requests(path).size() == 1);
  }

  @Test
  void neverSendsResolvedBeforeTheOpenedItIsQueuedBehind() {
    String key = unique("ordered");
    String path = "/hook/" + key;
    TARGETS.script(path, Answer.of(503, "busy"), Answer.of(503, "busy"), Answer.of(503, "busy"));
    UUID channel =
        channels.add(
            "webhook",
            TARGETS.url(path),
            StandardWebhookSignature.newSecret(),
            List.of(),
            "en",
            Map.of("task_key", key));
    MonitorStatusChanged opened = Events.failed(key, "PC-05", 1, 1, "boom", Instant.now());
    MonitorStatusChanged resolved = Events.resolved(key, "PC-05", Instant.now().plusSeconds(5));

    publish(opened);
    publish(resolved);

    awaitStates(channel, "sent", "sent");
    List<String> ids = TARGETS.requests(path).stream().map(r -> r.header("webhook-id")).toList();
    assertThat(ids)
        .containsExactly(
            opened.eventId().toString(),
            opened.eventId().toString(),
            opened.eventId().toString(),
            opened.eventId().toString(),
            resolved.eventId().toString());
  }

  @Test
  void spacesAFloodToOneSlackChannelToOneMessageASecond() {
    String key = unique("flood");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);

    for (int i = 1; i <= 4; i++) {
      publish(Events.failed(key, "PC-F" + i, 1, 1, "boom", Instant.now()));
    }

    awaitStates(channel, "sent", "sent", "sent", "sent");
    List<Instant> at =
        TARGETS.requests(path).stream().map(CaptureServer.Request::at).sorted().toList();
    assertThat(at).hasSize(4);
    for (int i = 1; i < at.size(); i++) {
      assertThat(Duration.between(at.get(i - 1), at.get(i)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  void signsWebhooksSoTheReceiverCanVerifyThem() {
    String key = unique("signed");
    String path = "/hook/" + key;
    String secret = StandardWebhookSignature.newSecret();
    UUID channel =
        channels.add(
            "webhook", TARGETS.url(path), secret, List.of(), "en", Map.of("task_key", key));
    MonitorStatusChanged event = Events.failed(key, "PC-06", 1, 3, "boom", Instant.now());

    publish(event);

    awaitStates(channel, "sent");
    CaptureServer.Request request = TARGETS.requests(path).get(0);
    assertThat(request.header("webhook-id")).isEqualTo(event.eventId().toString());
    long timestamp = Long.parseLong(request.header("webhook-timestamp"));
    assertThat(timestamp)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    // The receiver's side of the specification: HMAC over id.timestamp.body with the shared secret.
    assertThat(request.header("webhook-signature"))
        .isEqualTo(
            StandardWebhookSignature.sign(
                secret, request.header("webhook-id"), timestamp, request.body()));
    assertThat(EventJson.mapper().readValue(request.body(), MonitorStatusChanged.class))
        .isEqualTo(event);
  }

  @Test
  void postsAnAdaptiveCardToTeams() {
    String key = unique("teams");
    String path = "/teams/" + key;
    TARGETS.script(path, Answer.of(202, ""));
    UUID channel = channel("teams", path, "en", key);

    publish(Events.failed(key, "PC-07", 1, 9, "boom", Instant.now()));

    awaitStates(channel, "sent");
    JsonNode body = EventJson.mapper().readTree(TARGETS.requests(path).get(0).body());
    JsonNode attachment = body.get("attachments").get(0);
    assertThat(attachment.get("contentType").asString())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
    assertThat(attachment.get("content").get("actions").get(0).get("type").asString())
        .isEqualTo("Action.OpenUrl");
  }

  @Test
  void mailsTheResolvedNoticeWithHowLongItLasted() throws Exception {
    String key = unique("mail");
    UUID channel =
        channels.add(
            "email", null, null, List.of("ops@example.co.jp"), "ja", Map.of("task_key", key));
    Instant opened = Instant.parse("2026-01-22T09:00:00Z");

    publish(Events.failed(key, "PC-08", 1, 1, "boom", opened));
    publish(Events.resolved(key, "PC-08", opened.plus(Duration.ofMinutes(65))));

    awaitStates(channel, "sent", "sent");
    List<MimeMessage> mails =
        List.of(SMTP.getReceivedMessages()).stream().filter(m -> subject(m).contains(key)).toList();
    assertThat(mails).hasSize(2);
    assertThat(subject(mails.get(0))).contains("【失敗】");
    assertThat(subject(mails.get(1))).contains("【復旧】");
    assertThat(mails.get(1).getContent().toString()).contains("障害期間: 1時間5分");
    assertThat(mails.get(0).getAllRecipients()[0].toString()).isEqualTo("ops@example.co.jp");
  }

  @Test
  void recordsARedeliveredEventOnce() {
    String key = unique("twice");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);
    MonitorStatusChanged event = Events.failed(key, "PC-09", 1, 1, "boom", Instant.now());

    publish(event);
    publish(event);
    publish(Events.resolved(key, "PC-09", Instant.now().plusSeconds(1)));

    awaitStates(channel, "sent", "sent");
    assertThat(TARGETS.requests(path)).hasSize(2);
  }

  @Test
  void deadLettersAnUnreadableRecordAndKeepsGoing() {
    String key = unique("after_garbage");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);

    publish("garbage-key", "{not json".getBytes(StandardCharsets.UTF_8));
    publish(Events.failed(key, "PC-10", 1, 1, "boom", Instant.now()));

    awaitStates(channel, "sent");
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-probe-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      consumer.subscribe(List.of(Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER.name()));
      List<String> values = new java.util.ArrayList<>();
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> values.add(r.key() + "=" + r.value()));
                return values.contains("garbage-key={not json");
              });
    }
  }

  @Test
  void marksADeliveryDeadOnceItHasFailedForAboutAnHour() {
    String key = unique("hopeless");
    String path = "/slack/" + key;
    TARGETS.script(path, Answer.of(500, "still down"));
    UUID channel = channel("slack", path, "en", key);
    MonitorStatusChanged event = Events.failed(key, "PC-11", 1, 1, "boom", Instant.now());

    // Recorded an hour ago (the default give-up-after): the next failure is the last.
    jdbc.update(
        "INSERT INTO notification_deliveries (event_id, channel_id, monitor_id, event_json, notice,"
            + " incident_opened_at, created_at, state, attempts)"
            + " VALUES (?, ?, ?, ?::jsonb, 'opened', now(), now() - interval '1 hour', 'retrying', 9)",
        event.eventId(),
        channel,
        event.monitorId(),
        EventJson.mapper().writeValueAsString(event));

    List<Map<String, Object>> rows = awaitStates(channel, "dead");
    assertThat((String) rows.get(0).get("last_error"))
        .contains("HTTP 500")
        .contains("gave up after 10 attempts");
    assertThat(channels.channel(channel)).containsEntry("enabled", true);
  }

  @Test
  void keepsADeliveryWaitingWhenTheChannelWasSealedWithAnotherKey() {
    String key = unique("other_key");
    UUID channel = channel("slack", "/slack/" + key, "en", key);
    jdbc.update(
        "UPDATE notification_channels SET url_encrypted = ? WHERE id = ?",
        jp.tcportal.schema.secret.ChannelCrypto.fromBase64Key(
                jp.tcportal.schema.secret.ChannelCrypto.newBase64Key())
            .seal(
                TARGETS.url("/slack/" + key),
                jp.tcportal.notifier.channel.ChannelStore.urlContext(channel)),
        channel);

    publish(Events.failed(key, "PC-12", 1, 1, "boom", Instant.now()));

    List<Map<String, Object>> rows = awaitStates(channel, "retrying");
    assertThat((String) rows.get(0).get("last_error"))
        .contains("channel secret unreadable")
        .contains("TC_PORTAL_ENCRYPTION_KEY");
    assertThat(TARGETS.requests("/slack/" + key)).isEmpty();
  }

  @Test
  void recordsAnEventThatArrivedWhileTheLedgerWasUnavailableOnceItIsBack() throws Exception {
    String key = unique("outage");
    String path = "/slack/" + key;
    UUID channel = channel("slack", path, "en", key);
    // The ledger disappears as in an outage: every insert and every worker pass fails.
    jdbc.execute("ALTER TABLE notification_deliveries RENAME TO notification_deliveries_away");
    try {
      publish(Events.failed(key, "PC-13", 1, 1, "boom", Instant.now()));

      await()
          .atMost(PATIENCE)
          .until(() -> "DOWN".equals(deliveryHealth().get("status").asString()));
      await().during(Duration.ofSeconds(2)).until(() -> TARGETS.requests(path).isEmpty());
    } finally {
      jdbc.execute("ALTER TABLE notification_deliveries_away RENAME TO notification_deliveries");
    }

    // The listener retried the event instead of skipping it, so it is recorded and sent now.
    awaitStates(channel, "sent");
    assertThat(TARGETS.requests(path)).hasSize(1);
    await().atMost(PATIENCE).until(() -> "UP".equals(deliveryHealth().get("status").asString()));
  }

  private JsonNode deliveryHealth() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return EventJson.mapper().readTree(health.body()).get("components").get("delivery");
  }

  @Test
  void reportsQueueFiguresOnTheHealthEndpoint() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode delivery =
        EventJson.mapper().readTree(health.body()).get("components").get("delivery");
    assertThat(delivery.get("status").asString()).isEqualTo("UP");
    assertThat(delivery.get("details").has("open_deliveries")).isTrue();
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
