package jp.tcportal.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the tests find the checkout, the built jars and a free port. */
final class Checkout {

  private Checkout() {}

  /** The repository root (Maven passes it; running from the module folder works too). */
  static Path root() {
    String fromMaven = System.getProperty("tcportal.repo.root");
    if (fromMaven != null) {
      return Path.of(fromMaven).toAbsolutePath().normalize();
    }
    return Path.of("../..").toAbsolutePath().normalize();
  }

  static Path moduleTarget() {
    return root().resolve("deploy/local-stack/target");
  }

  static Path stackJar() {
    return moduleTarget().resolve("tcportal-local-stack.jar");
  }

  /** {@code <module>/target/<module>-<version>.jar}, if it was built. */
  static Optional<Path> serviceJar(String module) {
    Path target = root().resolve(module).resolve("target");
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith(module + "-"))
          .filter(file -> file.getFileName().toString().endsWith(".jar"))
          .filter(file -> !file.getFileName().toString().endsWith("-sources.jar"))
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The tests start the real service jars. Outside CI a missing jar skips them with the command
   * that builds it; in CI ({@code CI=true}) it is a failure, so a green build always ran them.
   */
  static void assumeServiceJarsBuilt(String... modules) {
    for (String module : modules) {
      boolean built = serviceJar(module).isPresent();
      String reason =
          module + " jar not built; run ./mvnw -B -q -DskipTests package from the repository root";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.assertTrue(built, reason);
      } else {
        org.junit.jupiter.api.Assumptions.assumeTrue(built, reason);
      }
    }
  }

  /**
   * A port free now and not handed out before in this JVM: the system may give the same free port
   * twice in a row, and two services of one stack on one port is a failed start (or, worse, one
   * service's health check answered by the other).
   */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no new free port after 100 tries");
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** True when nothing listens on the port any more. */
  static boolean portIsFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when something accepts a TCP connection on that address and port. */
  static boolean accepts(String address, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** One of this machine's own IPv4 addresses that is not loopback, if it has one. */
  static Optional<String> nonLoopbackAddress() {
    try {
      return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
          .filter(
              nic -> {
                try {
                  return nic.isUp() && !nic.isLoopback();
                } catch (java.net.SocketException e) {
                  return false;
                }
              })
          .flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
          .filter(address -> address instanceof java.net.Inet4Address)
          .map(java.net.InetAddress::getHostAddress)
          .findFirst();
    } catch (java.net.SocketException e) {
      return Optional.empty();
    }
  }

  /** Whether a service jar's own classes mention any of these strings (a feature it has). */
  static boolean serviceJarMentions(String module, String... needles) {
    Optional<Path> jar = serviceJar(module);
    if (jar.isEmpty()) {
      return false;
    }
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.get().toFile())) {
      for (var entries = file.entries(); entries.hasMoreElements(); ) {
        var entry = entries.nextElement();
        if (!entry.getName().startsWith("BOOT-INF/classes/")
            || !(entry.getName().endsWith(".class")
                || entry.getName().endsWith(".yaml")
                || entry.getName().endsWith(".properties"))) {
          continue;
        }
        String text;
        try (var in = file.getInputStream(entry)) {
          text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        for (String needle : needles) {
          if (text.contains(needle)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh, empty folder below the module's target folder. */
  static Path freshDirectory(String name) {
    Path dir = moduleTarget().resolve(name);
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> all = Files.walk(dir)) {
          all.sorted(Comparator.reverseOrder()).forEach(Checkout::deleteQuietly);
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
