package jp.tcportal.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the local stack can be told, read from environment variables (documented in {@code
 * docs/deploy.md}).
 *
 * @param dataDir the one folder that keeps the broker's log, the database, secrets, certificates
 *     and service logs: {@code .tcportal/} in the checkout, wherever the launcher is started from
 * @param bindAddress the address the gateway and the incidents service listen on (the engines and
 *     the processor always listen on loopback only)
 * @param kafkaPort the embedded broker's client port
 * @param kafkaControllerPort the embedded broker's KRaft controller port
 * @param externalKafkaBootstrap an existing Kafka to use instead of the embedded broker, or null
 * @param postgresPort the embedded PostgreSQL's port
 * @param databaseUrl an existing PostgreSQL (JDBC URL) to use instead of the embedded one, or null
 * @param databaseUser the user for {@code databaseUrl} (the embedded one uses {@code postgres})
 * @param databasePassword the password for {@code databaseUrl} (the embedded one's is generated)
 * @param gatewayPort the ingest gateway's plain HTTP port
 * @param gatewayHttpsPort the ingest gateway's HTTPS port
 * @param incidentsPort the incidents service's plain HTTP port (redirects to HTTPS)
 * @param incidentsHttpsPort the incidents service's HTTPS port
 * @param processorPort the run processor's management (actuator) port
 * @param notifierPort the notifier's management (actuator) port, on loopback like the processor's
 * @param gatewayHeap the gateway JVM's maximum heap ({@code -Xmx} value)
 * @param processorHeap the processor JVM's maximum heap
 * @param incidentsHeap the incidents service JVM's maximum heap
 * @param notifierHeap the notifier JVM's maximum heap
 * @param extraJavaOptions further JVM options for every service, space-separated
 * @param startTimeout how long each service may take to report healthy
 * @param repositoryRoot where the service modules' {@code target/} folders are
 * @param echoServiceLogs whether service output is copied to the console (it always goes to files)
 * @param databasePoolSize the most database connections each service opens
 */
record StackSettings(
    Path dataDir,
    String bindAddress,
    int kafkaPort,
    int kafkaControllerPort,
    String externalKafkaBootstrap,
    int postgresPort,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int gatewayPort,
    int gatewayHttpsPort,
    int incidentsPort,
    int incidentsHttpsPort,
    int processorPort,
    int notifierPort,
    String gatewayHeap,
    String processorHeap,
    String incidentsHeap,
    String notifierHeap,
    String extraJavaOptions,
    Duration startTimeout,
    Path repositoryRoot,
    boolean echoServiceLogs,
    int databasePoolSize) {

  static final String DEFAULT_HEAP = "256m";
  static final String LOOPBACK = "127.0.0.1";

  static StackSettings fromEnvironment(Map<String, String> env, Path workingDir, Path launcherJar) {
    int kafkaPort = intSetting(env, "TCPORTAL_KAFKA_PORT", 19092);
    String serviceHeap = setting(env, "TCPORTAL_SERVICE_HEAP", DEFAULT_HEAP);
    Path repositoryRoot = repositoryRoot(env, workingDir, launcherJar);
    return new StackSettings(
        // Relative to the checkout, never to the current directory: a stack started from another
        // folder must find the same secret, or every configured PC would get 401.
        repositoryRoot.resolve(setting(env, "TCPORTAL_DATA_DIR", ".tcportal")).normalize(),
        setting(env, "TCPORTAL_BIND_ADDRESS", LOOPBACK),
        kafkaPort,
        intSetting(env, "TCPORTAL_KAFKA_CONTROLLER_PORT", kafkaPort + 1),
        setting(env, "TCPORTAL_KAFKA_BOOTSTRAP", null),
        intSetting(env, "TCPORTAL_POSTGRES_PORT", 15432),
        setting(env, "TCPORTAL_DATABASE_URL", null),
        setting(env, "TCPORTAL_DATABASE_USER", "postgres"),
        setting(env, "TCPORTAL_DATABASE_PASSWORD", ""),
        intSetting(env, "TCPORTAL_GATEWAY_PORT", 8080),
        intSetting(env, "TCPORTAL_GATEWAY_HTTPS_PORT", 8443),
        intSetting(env, "TCPORTAL_INCIDENTS_PORT", 8081),
        intSetting(env, "TCPORTAL_INCIDENTS_HTTPS_PORT", 8444),
        intSetting(env, "TCPORTAL_PROCESSOR_PORT", 8082),
        intSetting(env, "TCPORTAL_NOTIFIER_PORT", 8083),
        setting(env, "TCPORTAL_GATEWAY_HEAP", serviceHeap),
        setting(env, "TCPORTAL_PROCESSOR_HEAP", serviceHeap),
        setting(env, "TCPORTAL_INCIDENTS_HEAP", serviceHeap),
        setting(env, "TCPORTAL_NOTIFIER_HEAP", serviceHeap),
        setting(env, "TCPORTAL_JAVA_OPTS", ""),
        Duration.ofSeconds(intSetting(env, "TCPORTAL_START_TIMEOUT_SECONDS", 180)),
        repositoryRoot,
        !"false".equalsIgnoreCase(setting(env, "TCPORTAL_ECHO_SERVICE_LOGS", "true")),
        intSetting(env, "TCPORTAL_DATABASE_POOL_SIZE", 4));
  }

  /**
   * Every port this stack will listen on, named by the variable that moves it, so a port already
   * taken (often by another stack) is reported before anything starts.
   */
  java.util.Map<String, Integer> listeningPorts() {
    java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    if (embeddedKafka()) {
      ports.put("TCPORTAL_KAFKA_PORT", kafkaPort);
      ports.put("TCPORTAL_KAFKA_CONTROLLER_PORT", kafkaControllerPort);
    }
    if (embeddedPostgres()) {
      ports.put("TCPORTAL_POSTGRES_PORT", postgresPort);
    }
    ports.put("TCPORTAL_GATEWAY_PORT", gatewayPort);
    ports.put("TCPORTAL_GATEWAY_HTTPS_PORT", gatewayHttpsPort);
    ports.put("TCPORTAL_INCIDENTS_PORT", incidentsPort);
    ports.put("TCPORTAL_INCIDENTS_HTTPS_PORT", incidentsHttpsPort);
    ports.put("TCPORTAL_PROCESSOR_PORT", processorPort);
    ports.put("TCPORTAL_NOTIFIER_PORT", notifierPort);
    return ports;
  }

  /**
   * The ports that more than one variable names, as "8080 (TCPORTAL_GATEWAY_PORT,
   * TCPORTAL_PROCESSOR_PORT)": two services cannot share one, and the second would fail to start
   * after the first one's health answer had already been taken for its own.
   */
  java.util.List<String> portsNamedTwice() {
    java.util.Map<Integer, java.util.List<String>> byPort = new java.util.TreeMap<>();
    listeningPorts()
        .forEach(
            (variable, port) ->
                byPort.computeIfAbsent(port, key -> new java.util.ArrayList<>()).add(variable));
    return byPort.entrySet().stream()
        .filter(entry -> entry.getValue().size() > 1)
        .map(entry -> entry.getKey() + " (" + String.join(", ", entry.getValue()) + ")")
        .toList();
  }

  /** The host name the banner prints for URLs: localhost unless the stack listens elsewhere. */
  String urlHost() {
    String bind = bindAddress;
    if (bind.equals(LOOPBACK)
        || bind.equals("0.0.0.0")
        || bind.equals("::")
        || bind.equals("[::]")) {
      return "localhost";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  /** Where the stack's secrets other than the two historical ones live (owner-only folder). */
  Path secretsDir() {
    return dataDir.resolve("secrets");
  }

  Path tlsDir() {
    return dataDir.resolve("tls");
  }

  boolean embeddedKafka() {
    return externalKafkaBootstrap == null;
  }

  boolean embeddedPostgres() {
    return databaseUrl == null;
  }

  String kafkaBootstrap() {
    return embeddedKafka() ? "127.0.0.1:" + kafkaPort : externalKafkaBootstrap;
  }

  String jdbcUrl() {
    return embeddedPostgres()
        ? "jdbc:postgresql://localhost:" + postgresPort + "/" + LocalDatabase.DATABASE_NAME
        : databaseUrl;
  }

  /**
   * The checkout holding the service modules: {@code TCPORTAL_HOME} if set, else the checkout the
   * launcher jar was built in ({@code deploy/local-stack/target/}), else the working directory.
   */
  private static Path repositoryRoot(Map<String, String> env, Path workingDir, Path launcherJar) {
    String home = setting(env, "TCPORTAL_HOME", null);
    if (home != null) {
      return workingDir.resolve(home).toAbsolutePath().normalize();
    }
    if (launcherJar != null) {
      Path target = launcherJar.toAbsolutePath().normalize().getParent();
      if (target != null
          && target.endsWith(Path.of("deploy", "local-stack", "target"))
          && target.getParent().getParent().getParent() != null) {
        return target.getParent().getParent().getParent();
      }
    }
    return workingDir.toAbsolutePath().normalize();
  }

  private static String setting(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int intSetting(Map<String, String> env, String name, int fallback) {
    String value = setting(env, name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got: " + value, e);
    }
  }
}
