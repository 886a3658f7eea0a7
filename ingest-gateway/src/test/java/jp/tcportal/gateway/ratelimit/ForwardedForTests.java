package jp.tcportal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import jp.tcportal.gateway.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-address limit over real sockets, on a gateway that believes it runs on Kubernetes (where
 * Spring Boot would turn forwarded headers on by itself). Connections come from two loopback
 * addresses: 127.0.0.1 is an ordinary client, 127.0.0.2 the one trusted proxy.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.gateway.webhook-secret=" + ForwardedForTests.SECRET,
      "spring.main.cloud-platform=kubernetes",
      "tcportal.gateway.trusted-proxies=127.0.0.2/32",
      "tcportal.gateway.rate-limit.enabled=true",
      "tcportal.gateway.rate-limit.per-address-burst=2",
      "tcportal.gateway.rate-limit.per-address-per-minute=1"
    })
class ForwardedForTests {

  static final String SECRET = "forwarded-secret";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
  }

  @Test
  void aClientCannotEscapeItsLimitByMakingUpForwardedForAddresses() throws IOException {
    assertThat(post("127.0.0.1", "X-Forwarded-For: 203.0.113.1\r\n")).isEqualTo(200);
    assertThat(post("127.0.0.1", "X-Forwarded-For: 203.0.113.2\r\n")).isEqualTo(200);

    assertThat(post("127.0.0.1", "X-Forwarded-For: 203.0.113.3\r\n")).isEqualTo(429);
    assertThat(post("127.0.0.1", "Forwarded: for=203.0.113.4\r\n")).isEqualTo(429);
    assertThat(post("127.0.0.1", "X-Real-IP: 203.0.113.5\r\n")).isEqualTo(429);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws IOException {
    String first = "X-Forwarded-For: 198.51.100.1\r\n";
    assertThat(post("127.0.0.2", first)).isEqualTo(200);
    assertThat(post("127.0.0.2", first)).isEqualTo(200);
    assertThat(post("127.0.0.2", first)).isEqualTo(429);
    // What the client wrote left of the proxy's own entry does not make it someone else.
    assertThat(post("127.0.0.2", "X-Forwarded-For: 198.51.100.77, 198.51.100.1\r\n"))
        .isEqualTo(429);

    assertThat(post("127.0.0.2", "X-Forwarded-For: 198.51.100.2\r\n")).isEqualTo(200);
  }

  /** Posts a valid report from {@code localAddress} and returns the status code. */
  private int post(String localAddress, String extraHeaders) throws IOException {
    String taskKey = "fwd_" + UUID.randomUUID().toString().replace("-", "");
    byte[] body =
        ("{\"task_key\": \""
                + taskKey
                + "\", \"task_name\": \"x\", \"kind\": \"bat\", \"status\": \"success\"}")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "X-TC-Portal-Secret: "
            + SECRET
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n"
            + extraHeaders
            + "\r\n";
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(statusLine.substring(9, 12));
    }
  }
}
