package jp.tcportal.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka node (broker and KRaft controller in one process) running Kafka's own entry point,
 * {@code java -cp <kafka classpath> kafka.Kafka server.properties}, in a JVM of its own so that a
 * scenario can kill it like any crashed server. Its log directory survives restarts.
 */
final class KafkaNode {

  private final int nodeId;
  private final int port;
  private final Path directory;
  private final Path properties;
  private Process process;

  private KafkaNode(int nodeId, int port, Path directory, Path properties) {
    this.nodeId = nodeId;
    this.port = port;
    this.directory = directory;
    this.properties = properties;
  }

  /**
   * Writes {@code server.properties} and formats the log directory with Kafka's storage tool, as
   * {@code kafka-storage.sh format} would.
   */
  static KafkaNode format(
      int nodeId,
      Path directory,
      int port,
      int controllerPort,
      String voters,
      String clusterId,
      Map<String, String> settings) {
    try {
      Files.createDirectories(directory);
      Properties config = new Properties();
      config.setProperty("process.roles", "broker,controller");
      config.setProperty("node.id", String.valueOf(nodeId));
      config.setProperty("controller.quorum.voters", voters);
      config.setProperty("controller.listener.names", "CONTROLLER");
      config.setProperty(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      config.setProperty("inter.broker.listener.name", "PLAINTEXT");
      config.setProperty(
          "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      config.setProperty("log.dirs", directory.resolve("data").toString());
      config.setProperty("group.initial.rebalance.delay.ms", "0");
      config.setProperty("auto.create.topics.enable", "false");
      config.setProperty("unclean.leader.election.enable", "false");
      // A small test machine: few threads.
      config.setProperty("num.network.threads", "2");
      config.setProperty("num.io.threads", "4");
      config.setProperty("background.threads", "4");
      config.setProperty("log.cleaner.threads", "1");
      config.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
      config.putAll(settings);
      Path properties = directory.resolve("server.properties");
      try (Writer writer = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
        config.store(writer, "kafka node " + nodeId);
      }
      KafkaNode node = new KafkaNode(nodeId, port, directory, properties);
      node.runToCompletion(
          "format",
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--cluster-id",
              clusterId,
              "--config",
              properties.toString()));
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare Kafka node " + nodeId, e);
    }
  }

  /** Starts the node; its output is appended to {@code kafka-<id>.log}. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("Kafka node " + nodeId + " is already running");
    }
    process = launch(List.of("kafka.Kafka", properties.toString()), log());
  }

  /** {@code kill -9}: no shutdown, no flush beyond what the OS already has. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitForExit(process, 30);
  }

  /** A clean shutdown (SIGTERM), killed if it takes too long. */
  synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitForExit(process, 30)) {
      kill();
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  int nodeId() {
    return nodeId;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  Path log() {
    return directory.resolve("kafka-" + nodeId + ".log");
  }

  private void runToCompletion(String what, List<String> mainAndArguments) throws IOException {
    Process tool = launch(mainAndArguments, directory.resolve(what + ".log"));
    try {
      if (!tool.waitFor(120, TimeUnit.SECONDS) || tool.exitValue() != 0) {
        tool.destroyForcibly();
        throw new IllegalStateException(
            "Kafka "
                + what
                + " of node "
                + nodeId
                + " failed:\n"
                + Files.readString(directory.resolve(what + ".log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting Kafka node " + nodeId, e);
    }
  }

  private static Process launch(List<String> mainAndArguments, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dlogback.configurationFile=" + brokerLogbackConfiguration());
    command.add("-cp");
    command.add(brokerClasspath());
    command.addAll(mainAndArguments);
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + mainAndArguments.get(0), e);
    }
  }

  private static boolean waitForExit(Process process, int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Written by the build (maven-dependency-plugin) from this module's test classpath. */
  private static String brokerClasspath() {
    String file = System.getProperty("tcportal.reliability.broker-classpath");
    if (file == null) {
      throw new IllegalStateException(
          "tcportal.reliability.broker-classpath is not set: run the suite with -Preliability");
    }
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("No broker classpath at " + file, e);
    }
  }

  private static String brokerLogbackConfiguration() {
    var resource = KafkaNode.class.getResource("/broker-logback.xml");
    if (resource == null) {
      throw new IllegalStateException("broker-logback.xml is missing from the test resources");
    }
    return resource.toString();
  }
}
