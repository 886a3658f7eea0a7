package jp.tcportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on a 64 MB heap, pressed by clients that stall their bodies and by many clients
 * sending 1 MB bodies at once: it keeps answering a normal report with 200, closes the stalled
 * connections after its timeouts, refuses what does not fit with 503 (clients retry it, and every
 * report is taken in the end), and does not run out of heap (it would exit: {@code
 * -XX:+ExitOnOutOfMemoryError}).
 */
class SmallHeapIT {

  private static final Path JAR = Path.of(System.getProperty("gateway.jar"));
  private static final String SECRET = "small-heap-secret";
  private static final int STALLED = 40;
  private static final int LARGE_CLIENTS = 16;
  private static final int LARGE_REPORTS_EACH = 3;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void keepsAnsweringOthersWhileSlowAndLargeClientsPressASmallHeap() throws Exception {
    int port = freePort();
    Path log = Files.createTempFile("gateway-small-heap", ".log");
    Process gateway =
        start(
            log,
            "--server.port=" + port,
            "--tcportal.gateway.request-head-timeout=3s",
            "--tcportal.gateway.read-timeout=2s",
            "--tcportal.gateway.request-timeout=5s",
            "--tcportal.gateway.max-body-bytes-in-flight=8MB",
            "--spring.kafka.producer.properties.buffer.memory=8388608");
    ExecutorService clients = Executors.newFixedThreadPool(LARGE_CLIENTS);
    List<Socket> stalled = new ArrayList<>();
    try {
      URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
      Awaitility.await("the jar answers its health check (log: " + log + ")")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .failFast("the jar exited", () -> !gateway.isAlive())
          .until(() -> get(health).statusCode() == 200);

      // Clients that send their head and a little of a 1 MB body, then stall.
      String head =
          "POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\nX-TC-Portal-Secret: "
              + SECRET
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
              + "{\"task_key\": \"stalled\", ";
      for (int i = 0; i < STALLED; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      long stalledAt = System.nanoTime();

      // Many clients sending whole 1 MB reports at once.
      Map<Integer, AtomicInteger> largeAnswers = new ConcurrentHashMap<>();
      List<Future<?>> large = new ArrayList<>();
      for (int c = 0; c < LARGE_CLIENTS; c++) {
        large.add(
            clients.submit(
                () -> {
                  for (int r = 0; r < LARGE_REPORTS_EACH; r++) {
                    String report = reportOfLength(1_000_000);
                    // As a client does: a 503 is retried until the report is taken.
                    Awaitility.await("a large report is taken once the budget allows")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                            () -> {
                              int status;
                              try {
                                status = post(port, report).statusCode();
                              } catch (IOException refusedMidBody) {
                                status = -1; // answered 503 and closed before the body was sent
                              }
                              largeAnswers
                                  .computeIfAbsent(status, s -> new AtomicInteger())
                                  .incrementAndGet();
                              return status == 200;
                            });
                  }
                  return null;
                }));
      }

      // Meanwhile a normal report is taken.
      String normal = "normal_" + UUID.randomUUID().toString().replace("-", "");
      HttpResponse<String> answer =
          post(
              port,
              "{\"task_key\": \""
                  + normal
                  + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\"}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

      // Every stalled connection is answered (408 or 503) and closed after the timeouts.
      int answered408 = 0;
      int answered503 = 0;
      for (Socket socket : stalled) {
        String reply = readUntilClosed(socket, Duration.ofSeconds(20));
        answered408 += reply.startsWith("HTTP/1.1 408") ? 1 : 0;
        answered503 += reply.startsWith("HTTP/1.1 503") ? 1 : 0;
      }
      Duration allClosed = Duration.ofNanos(System.nanoTime() - stalledAt);
      assertThat(allClosed).isLessThan(Duration.ofSeconds(20));
      assertThat(answered408 + answered503).isEqualTo(STALLED);
      assertThat(answered503).as("stalled bodies over the budget are refused").isPositive();

      for (Future<?> client : large) {
        client.get(120, TimeUnit.SECONDS);
      }
      assertThat(largeAnswers.keySet()).isSubsetOf(200, 503, -1);
      assertThat(largeAnswers.get(200).get())
          .as("every large report is taken in the end")
          .isEqualTo(LARGE_CLIENTS * LARGE_REPORTS_EACH);
      assertThat(gateway.isAlive()).as("still running (log: " + log + ")").isTrue();
      assertThat(get(health).statusCode()).isEqualTo(200);
      TestKafka.awaitRunReported(record -> record.value().contains(normal));
      System.out.printf(
          "small heap: stalled closed within %s (%d x 408, %d x 503), large answers %s%n",
          allClosed, answered408, answered503, largeAnswers);
    } finally {
      clients.shutdownNow();
      for (Socket socket : stalled) {
        socket.close();
      }
      gateway.destroy();
      gateway.waitFor();
    }
  }

  private HttpResponse<String> post(int port, String body) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/monitor/report"))
              .header("X-TC-Portal-Secret", SECRET)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .timeout(Duration.ofSeconds(30))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String readUntilClosed(Socket socket, Duration atMost) throws IOException {
    socket.setSoTimeout((int) atMost.toMillis());
    InputStream in = socket.getInputStream();
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("a stalled connection was still open after " + atMost);
    } catch (IOException reset) {
      return "";
    }
  }

  /** A valid report of exactly {@code length} bytes, padded in an extra field. */
  private static String reportOfLength(int length) {
    String start =
        "{\"task_key\": \"large_"
            + UUID.randomUUID().toString().replace("-", "")
            + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\", \"padding\": \"";
    String end = "\"}";
    return start + "x".repeat(length - start.length() - end.length()) + end;
  }

  private Process start(Path log, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-jar");
    command.add(JAR.toString());
    command.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("TC_PORTAL_WEBHOOK_SECRETS_ADDITIONAL");
    builder.environment().put("TC_PORTAL_WEBHOOK_SECRET", SECRET);
    return builder.start();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
