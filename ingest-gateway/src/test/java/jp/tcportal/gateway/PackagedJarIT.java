package jp.tcportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The executable jar as an operator runs it: {@code TC_PORTAL_WEBHOOK_SECRET=... java -jar
 * ingest-gateway.jar --spring.kafka.bootstrap-servers=...}.
 */
class PackagedJarIT {

  private static final Path JAR = Path.of(System.getProperty("gateway.jar"));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startsFromTheJarAndAcceptsAReport() throws Exception {
    int port = freePort();
    Path log = Files.createTempFile("gateway-jar", ".log");
    Process gateway = start(log, "jar-secret", "--server.port=" + port);
    try {
      URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
      Awaitility.await("the jar answers its health check (log: " + log + ")")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .failFast("the jar exited", () -> !gateway.isAlive())
          .until(() -> get(health).statusCode() == 200);

      String taskKey = "jar_" + UUID.randomUUID().toString().replace("-", "");
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/monitor/report"))
                  .header("X-TC-Portal-Secret", "jar-secret")
                  .header("Content-Type", "application/json; charset=utf-8")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"task_key\": \""
                              + taskKey
                              + "\", \"task_name\": \"日次同期\","
                              + " \"kind\": \"python\", \"status\": \"success\"}",
                          StandardCharsets.UTF_8))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"ok\":true", taskKey);
      assertThat(TestKafka.awaitRunReported(record -> record.value().contains(taskKey)).value())
          .contains("日次同期");
    } finally {
      gateway.destroy();
      gateway.waitFor();
    }
  }

  @Test
  void theJarRefusesToStartWithoutTheSecretAndSaysWhy() throws Exception {
    Path log = Files.createTempFile("gateway-jar-no-secret", ".log");
    Process gateway = start(log, null, "--server.port=" + freePort());

    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> !gateway.isAlive());

    assertThat(gateway.exitValue()).isNotZero();
    assertThat(Files.readString(log)).contains("TC_PORTAL_WEBHOOK_SECRET is required");
  }

  private Process start(Path log, String secret, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(JAR.toString());
    command.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("TC_PORTAL_WEBHOOK_SECRET");
    builder.environment().remove("TC_PORTAL_WEBHOOK_SECRETS_ADDITIONAL");
    if (secret != null) {
      builder.environment().put("TC_PORTAL_WEBHOOK_SECRET", secret);
    }
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
