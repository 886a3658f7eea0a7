package jp.tcportal.notifier.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.notifier.CaptureServer;
import jp.tcportal.notifier.CaptureServer.Answer;
import jp.tcportal.notifier.NotifierSettings;
import jp.tcportal.notifier.channel.TargetRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How the poster reads answers and transport failures, against a real HTTP server. */
class SenderAnswersTest {

  private static final CaptureServer SERVER = new CaptureServer();

  private static NotifierSettings settings(Duration timeout) {
    return new NotifierSettings(
        "g",
        URI.create("http://x"),
        "k",
        true,
        Duration.ofSeconds(1),
        50,
        4,
        timeout,
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        timeout.multipliedBy(2),
        Duration.ofSeconds(30),
        "a@b",
        1,
        4);
  }

  private static JsonPoster poster(boolean allowInsecure, Duration timeout) {
    NotifierSettings settings = settings(timeout);
    return new JsonPoster(
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        new TargetRules(allowInsecure),
        settings);
  }

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Test
  void readsStatusBodyAndRetryAfterSeconds() {
    String path = "/p/" + UUID.randomUUID();
    SERVER.script(path, new Answer(429, "slow down", Map.of("Retry-After", "7")));

    JsonPoster.Result result =
        poster(true, Duration.ofSeconds(2)).post(SERVER.url(path), "{}", Map.of("x-a", "b"));

    assertThat(result.answer().status()).isEqualTo(429);
    assertThat(result.answer().transient_()).isTrue();
    assertThat(result.answer().retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(SERVER.requests(path).get(0).header("x-a")).isEqualTo("b");
    assertThat(SERVER.requests(path).get(0).header("Content-Type")).startsWith("application/json");
  }

  @Test
  void doesNotFollowRedirects() {
    String path = "/p/" + UUID.randomUUID();
    SERVER.script(path, new Answer(302, "", Map.of("Location", "http://169.254.169.254/")));

    JsonPoster.Result result =
        poster(true, Duration.ofSeconds(2)).post(SERVER.url(path), "{}", Map.of());

    assertThat(result.answer().status()).isEqualTo(302);
    assertThat(SERVER.requests(path)).hasSize(1);
  }

  @Test
  void retriesATargetThatDoesNotAnswerWithinTheTimeout() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // The test is over.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Instant start = Instant.now();

      JsonPoster.Result result =
          poster(true, Duration.ofMillis(500))
              .post("http://127.0.0.1:" + silent.getLocalPort() + "/x", "{}", Map.of());

      assertThat(result.failure().result()).isEqualTo(SendOutcome.Result.RETRY);
      assertThat(result.failure().detail()).contains("no answer within");
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void retriesWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    JsonPoster.Result result =
        poster(true, Duration.ofSeconds(2)).post("http://127.0.0.1:" + port + "/x", "{}", Map.of());

    assertThat(result.failure().result()).isEqualTo(SendOutcome.Result.RETRY);
  }

  @Test
  void refusesToSendToALoopbackTargetWhenInsecureTargetsAreNotAllowed() {
    String path = "/p/" + UUID.randomUUID();

    JsonPoster.Result result =
        poster(false, Duration.ofSeconds(2)).post(SERVER.url(path), "{}", Map.of());

    assertThat(result.failure().result()).isEqualTo(SendOutcome.Result.DISABLE);
    assertThat(SERVER.requests(path)).isEmpty();
  }
}
