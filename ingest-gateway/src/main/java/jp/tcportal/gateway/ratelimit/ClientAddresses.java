package jp.tcportal.gateway.ratelimit;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request comes from, for rate limiting. The connection's peer, unless the peer is a
 * trusted proxy: then {@code X-Forwarded-For} is read from the right (the hop the trusted proxy
 * itself added) and the first address that is not a trusted proxy is the client. Whatever a client
 * writes at the left of the header is therefore never believed. Only IP literals count: a name is
 * never resolved.
 */
final class ClientAddresses {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final List<Cidr> trusted;

  ClientAddresses(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
  }

  Object clientOf(InetSocketAddress peer, List<String> forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    InetAddress address = peer.getAddress();
    if (address == null) {
      return peer.getHostString();
    }
    if (!isTrusted(address) || forwardedFor == null || forwardedFor.isEmpty()) {
      return address;
    }
    List<String> hops = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String hop : value.split(",", -1)) {
        hops.add(hop.strip());
      }
    }
    InetAddress client = address;
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = literal(hops.get(i));
      if (hop == null) {
        // Garbage, a name, or "unknown": stop at the last hop a trusted proxy vouched for.
        return client;
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean isTrusted(InetAddress address) {
    for (Cidr range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An IP literal (brackets and a port tolerated), or null. Never a DNS lookup. */
  static InetAddress literal(String text) {
    String host = text;
    if (host.startsWith("[") && host.indexOf(']') > 0) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      host = host.substring(0, host.indexOf(':')); // IPv4 with a port
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
    if (bytes == null) {
      return null;
    }
    try {
      // Normalises IPv4-mapped IPv6 (::ffff:1.2.3.4) to IPv4, like the peer address.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      return null;
    }
  }

  /** An address range; a bare address is a range of one. */
  record Cidr(byte[] network, int prefixLength) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalStateException(
            "tcportal.gateway.trusted-proxies: not an IP address or CIDR range: " + text);
      }
      byte[] network = address.getAddress();
      int bits = network.length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalStateException(
            "tcportal.gateway.trusted-proxies: bad prefix length in " + text);
      }
      return new Cidr(network, prefix);
    }

    boolean contains(InetAddress address) {
      byte[] candidate = address.getAddress();
      if (candidate.length != network.length) {
        return false;
      }
      int fullBytes = prefixLength / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }
}
