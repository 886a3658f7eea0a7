package jp.tcportal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTests {

  private static final InetSocketAddress PROXY = peer("10.1.2.3");
  private static final InetSocketAddress DIRECT = peer("198.51.100.20");

  @Test
  void ignoresForwardedForWhenNoProxyIsTrusted() {
    ClientAddresses clients = new ClientAddresses(List.of());

    assertThat(clients.clientOf(PROXY, List.of("203.0.113.9"))).isEqualTo(ip("10.1.2.3"));
  }

  @Test
  void ignoresForwardedForFromAPeerThatIsNotATrustedProxy() {
    ClientAddresses clients = new ClientAddresses(List.of("10.0.0.0/8"));

    assertThat(clients.clientOf(DIRECT, List.of("203.0.113.9"))).isEqualTo(ip("198.51.100.20"));
  }

  @Test
  void takesTheAddressTheTrustedProxyAddedNotWhatTheClientWroteBeforeIt() {
    ClientAddresses clients = new ClientAddresses(List.of("10.0.0.0/8"));

    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real peer.
    assertThat(clients.clientOf(PROXY, List.of("1.1.1.1, 203.0.113.9")))
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void skipsEveryTrustedHopFromTheRight() {
    ClientAddresses clients = new ClientAddresses(List.of("10.0.0.0/8", "192.168.7.1"));

    assertThat(clients.clientOf(PROXY, List.of("203.0.113.9, 192.168.7.1", "10.9.9.9")))
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void neverResolvesANameAndStopsAtTheLastVouchedHop() {
    ClientAddresses clients = new ClientAddresses(List.of("10.0.0.0/8"));

    assertThat(clients.clientOf(PROXY, List.of("localhost"))).isEqualTo(ip("10.1.2.3"));
    assertThat(clients.clientOf(PROXY, List.of("10.4.4.4, unknown"))).isEqualTo(ip("10.1.2.3"));
  }

  @Test
  void readsIpv6AndPortsAndMatchesIpv6Ranges() {
    ClientAddresses clients = new ClientAddresses(List.of("fd00::/8", "10.1.2.3"));

    assertThat(clients.clientOf(PROXY, List.of("[2001:db8::1]:4711"))).isEqualTo(ip("2001:db8::1"));
    assertThat(clients.clientOf(peer("fd12::5"), List.of("203.0.113.9:5000")))
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void refusesARangeThatIsNotOne() {
    assertThatThrownBy(() -> new TrustedProxySettings(List.of("10.0.0.0/33")))
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> new TrustedProxySettings(List.of("proxy.example.com")))
        .hasMessageContaining("proxy.example.com");
  }

  private static InetSocketAddress peer(String ip) {
    return new InetSocketAddress(ip(ip), 40000);
  }

  private static InetAddress ip(String literal) {
    return ClientAddresses.literal(literal);
  }
}
