package jp.tcportal.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Starts the whole of TC Portal Monitor on this machine with one command: a KRaft Kafka broker and
 * PostgreSQL 17 in this JVM's care, then the gateway, the processor, the incidents service and the
 * notifier as child JVMs. Prints the URLs, the secrets and a first report to post, then a line
 * saying the stack is ready. Ctrl-C (or SIGTERM) stops the services, then the broker, then the
 * database.
 */
public final class LocalStack {

  /** The line tests and scripts wait for. */
  static final String READY_LINE = "TC Portal Monitor is ready";

  private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

  private final StackSettings settings;
  private final PrintStream console;
  private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private final CountDownLatch stoppedLatch = new CountDownLatch(1);
  private KraftBroker broker;
  private LocalDatabase database;
  private LocalSecrets.Secret webhookSecret;
  private LocalSecrets.Secret adminPassword;
  private LocalSecrets.Secret encryptionKey;
  private String databasePassword;
  private LocalTls.Bundle tls;
  private javax.net.ssl.SSLContext trustOwnCa;

  LocalStack(StackSettings settings, PrintStream console) {
    this.settings = settings;
    this.console = console;
  }

  public static void main(String[] args) {
    PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    StackSettings settings;
    try {
      settings = StackSettings.fromEnvironment(System.getenv(), Path.of(""), launcherJar());
    } catch (IllegalArgumentException e) {
      console.println("[local-stack] " + e.getMessage());
      System.exit(2);
      return;
    }
    LocalStack stack = new LocalStack(settings, console);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "tcportal-local-stack-stop"));
    try {
      stack.start();
    } catch (Exception e) {
      if (stack.stopped.get()) {
        return; // Ctrl-C during start-up: the shutdown hook is stopping what did start.
      }
      console.println("[local-stack] could not start: " + e.getMessage());
      System.exit(1); // The shutdown hook stops whatever did start.
    }
    stack.printReady();
    stack.awaitStop();
  }

  void start() throws Exception {
    Path dataDir = settings.dataDir();
    prepare();
    Map<String, Path> jars = serviceJars();
    requireFreePorts();

    if (settings.embeddedPostgres()) {
      console.println("[local-stack] starting PostgreSQL 17 on port " + settings.postgresPort());
      startStep(
          () ->
              database =
                  LocalDatabase.start(
                      dataDir.resolve("postgres"),
                      dataDir.resolve("postgres-binaries"),
                      settings.postgresPort(),
                      databasePassword));
    }
    if (settings.embeddedKafka()) {
      console.println("[local-stack] starting Kafka (KRaft) on port " + settings.kafkaPort());
      startStep(
          () ->
              broker =
                  KraftBroker.start(
                      1,
                      dataDir.resolve("kafka"),
                      settings.kafkaPort(),
                      settings.kafkaControllerPort(),
                      "1@127.0.0.1:" + settings.kafkaControllerPort(),
                      KraftBroker.newClusterId(),
                      Map.of()));
    }

    Path agent = writeWatchdogAgent(dataDir.resolve("run"));
    Path logs = dataDir.resolve("logs");
    PrintStream echo = settings.echoServiceLogs() ? console : null;
    List<ServiceProcess.Spec> specs = serviceSpecs(runCopies(jars, dataDir.resolve("run")));
    // The first three at once: each applies or waits for the schema itself, and start-up is
    // CPU-bound. The notifier has no schema wait of its own and does not migrate: it starts once
    // the processor (which migrates) is healthy, so the changelog is applied by then.
    java.util.Set<String> healthy = new java.util.HashSet<>();
    for (ServiceProcess.Spec spec : specs) {
      if (spec.name().equals(NOTIFIER)) {
        awaitHealthy(service(PROCESSOR), healthy);
      }
      console.println("[local-stack] starting " + spec.name() + " (" + spec.jar() + ")");
      startStep(
          () ->
              services.add(
                  ServiceProcess.start(spec, logs, agent, settings.extraJavaOptions(), echo)));
    }
    for (ServiceProcess service : services) {
      awaitHealthy(service, healthy);
    }
  }

  private static final String PROCESSOR = "processor";
  private static final String NOTIFIER = "notifier";

  private ServiceProcess service(String name) {
    return services.stream()
        .filter(service -> service.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " was not started"));
  }

  private void awaitHealthy(ServiceProcess service, java.util.Set<String> healthy)
      throws IOException, InterruptedException {
    if (healthy.add(service.name())) {
      service.awaitHealthy(settings.startTimeout(), trustOwnCa);
      console.println(
          "[local-stack] " + service.name() + " is healthy (" + service.healthUri() + ")");
    }
  }

  /** The data folder, the secrets and the certificates: everything before a process starts. */
  void prepare() throws java.io.IOException {
    Path dataDir = settings.dataDir();
    Files.createDirectories(dataDir);
    console.println("[local-stack] data folder: " + dataDir);
    webhookSecret =
        LocalSecrets.resolve(
            System.getenv("TC_PORTAL_WEBHOOK_SECRET"), dataDir.resolve("webhook-secret"));
    adminPassword =
        LocalSecrets.resolve(
            System.getenv("TC_PORTAL_ADMIN_PASSWORD"), dataDir.resolve("admin-password"));
    encryptionKey =
        LocalSecrets.encryptionKey(
            System.getenv("TC_PORTAL_ENCRYPTION_KEY"),
            settings.secretsDir().resolve("encryption-key"));
    databasePassword =
        settings.embeddedPostgres()
            ? LocalSecrets.resolve(null, settings.secretsDir().resolve("postgres-password")).value()
            : settings.databasePassword();
    tls = LocalTls.ensure(settings.tlsDir(), LocalTls.namesFor(settings.bindAddress()));
    trustOwnCa = TrustedCa.sslContext(tls.ca());
    if (!tls.notCovered().isEmpty()) {
      console.println(
          "[local-stack] the local CA was made for other host names and may not certify "
              + String.join(", ", tls.notCovered())
              + "; to include them, delete "
              + settings.tlsDir()
              + " (every PC must then import the new ca.pem)");
    }
    console.println(
        "[local-stack] "
            + (tls.issued() ? "made a server certificate: " : "server certificate: ")
            + tls.server()
            + " (signed by the local CA "
            + tls.ca()
            + ")");
  }

  /** One step of start-up that starts something. */
  @FunctionalInterface
  private interface StartStep {
    void run() throws Exception;
  }

  /**
   * Runs a start-up step under the lifecycle lock, so Ctrl-C during start-up waits for the step to
   * finish and then stops what it started, instead of missing it.
   */
  private void startStep(StartStep step) throws Exception {
    synchronized (lifecycle) {
      if (stopped.get()) {
        throw new IllegalStateException("stopping");
      }
      step.run();
    }
  }

  private void requireFreePorts() throws IOException {
    List<String> shared = settings.portsNamedTwice();
    if (!shared.isEmpty()) {
      throw new IOException(
          "port "
              + String.join(", ", shared)
              + " is named by more than one variable; each service needs a port of its own.");
    }
    List<String> taken = new ArrayList<>();
    settings
        .listeningPorts()
        .forEach(
            (variable, port) -> {
              try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(port));
              } catch (IOException inUse) {
                taken.add(port + " (" + variable + ")");
              }
            });
    if (!taken.isEmpty()) {
      throw new IOException(
          "port "
              + String.join(", ", taken)
              + " is already in use. Is another stack running? Stop it, or choose other ports"
              + " with the variables named.");
    }
  }

  List<ServiceProcess.Spec> serviceSpecs(Map<String, Path> jars) {
    // No secret on a command line: every local user can read it with ps. Secrets go through the
    // environment, which only this user (and root) can read.
    List<String> database =
        List.of(
            "--spring.datasource.url=" + settings.jdbcUrl(),
            "--spring.datasource.username=" + settings.databaseUser(),
            // A laptop stack: a few connections each instead of ten idle backends per service.
            "--spring.datasource.hikari.maximum-pool-size=" + settings.databasePoolSize(),
            "--spring.datasource.hikari.minimum-idle=1");
    Map<String, String> databaseEnvironment =
        Map.of("SPRING_DATASOURCE_PASSWORD", databasePassword);
    String kafka = "--spring.kafka.bootstrap-servers=" + settings.kafkaBootstrap();

    List<String> gatewayArgs = new ArrayList<>(https(settings.gatewayHttpsPort()));
    // Clients that do not trust the local CA yet still report over plain HTTP.
    gatewayArgs.add("--tcportal.gateway.plain-http-port=" + settings.gatewayPort());
    gatewayArgs.add(kafka);

    List<String> processorArgs = new ArrayList<>();
    // The processor serves only actuator, on loopback; one port for both keeps it in one place.
    processorArgs.add("--server.address=" + StackSettings.LOOPBACK);
    processorArgs.add("--server.port=" + settings.processorPort());
    processorArgs.add("--management.server.port=" + settings.processorPort());
    processorArgs.add(kafka);
    processorArgs.addAll(database);

    List<String> incidentsArgs = new ArrayList<>(https(settings.incidentsHttpsPort()));
    // Plain HTTP redirects to HTTPS (health answers on both).
    incidentsArgs.add("--tcportal.incidents.plain-http-port=" + settings.incidentsPort());
    incidentsArgs.addAll(database);
    // The processor applies the changelog; the incidents service waits for it. Both migrating at
    // once raced to create Liquibase's own tables on an empty database and one of them failed.
    incidentsArgs.add("--tcportal.incidents.migrate=false");

    Map<String, String> incidentsEnvironment = new java.util.HashMap<>(databaseEnvironment);
    incidentsEnvironment.put("TC_PORTAL_ADMIN_PASSWORD", adminPassword.value());
    // The incidents service will seal channels with the same key once it edits them.
    incidentsEnvironment.put("TC_PORTAL_ENCRYPTION_KEY", encryptionKey.value());

    List<String> notifierArgs = new ArrayList<>();
    // Management only, on loopback like the processor's.
    notifierArgs.add("--server.address=" + StackSettings.LOOPBACK);
    notifierArgs.add("--server.port=" + settings.notifierPort());
    notifierArgs.add("--management.server.port=" + settings.notifierPort());
    notifierArgs.add(kafka);
    notifierArgs.addAll(database);
    // The processor applies the changelog (see start()); a second migrator raced on an empty
    // database.
    notifierArgs.add("--spring.liquibase.enabled=false");

    Map<String, String> notifierEnvironment = new java.util.HashMap<>(databaseEnvironment);
    // Secrets through the environment, never the command line.
    notifierEnvironment.put("TC_PORTAL_ENCRYPTION_KEY", encryptionKey.value());
    // The local stack is for evaluation: webhooks to http:// and private addresses (a test
    // receiver on this machine) are allowed. Production leaves this false.
    notifierEnvironment.put("TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS", "true");
    // Links in notifications lead to the dashboard over HTTPS.
    notifierEnvironment.put("TCPORTAL_PUBLIC_URL", incidentsUrl());
    return List.of(
        new ServiceProcess.Spec(
            "gateway",
            jars.get("ingest-gateway"),
            healthUri("https", settings.gatewayHttpsPort()),
            settings.gatewayHeap(),
            gatewayArgs,
            Map.of("TC_PORTAL_WEBHOOK_SECRET", webhookSecret.value())),
        new ServiceProcess.Spec(
            PROCESSOR,
            jars.get("run-processor"),
            java.net.URI.create(
                "http://" + StackSettings.LOOPBACK + ":" + settings.processorPort() + HEALTH),
            settings.processorHeap(),
            processorArgs,
            databaseEnvironment),
        new ServiceProcess.Spec(
            "incidents",
            jars.get("incidents-service"),
            healthUri("https", settings.incidentsHttpsPort()),
            settings.incidentsHeap(),
            incidentsArgs,
            Map.copyOf(incidentsEnvironment)),
        new ServiceProcess.Spec(
            NOTIFIER,
            jars.get("notifier"),
            notifierHealth(),
            settings.notifierHeap(),
            notifierArgs,
            Map.copyOf(notifierEnvironment)));
  }

  private java.net.URI notifierHealth() {
    return java.net.URI.create(
        "http://" + StackSettings.LOOPBACK + ":" + settings.notifierPort() + HEALTH);
  }

  /** The dashboard's HTTPS address as the banner prints it. */
  private String incidentsUrl() {
    return "https://" + settings.urlHost() + ":" + settings.incidentsHttpsPort();
  }

  private static final String HEALTH = "/actuator/health";

  /** Spring Boot's standard SSL bundle from the PEM files, reloaded when they change. */
  private List<String> https(int port) {
    return List.of(
        "--server.address=" + settings.bindAddress(),
        "--server.port=" + port,
        "--server.ssl.bundle=tcportal",
        "--spring.ssl.bundle.pem.tcportal.keystore.certificate=file:" + tls.server(),
        "--spring.ssl.bundle.pem.tcportal.keystore.private-key=file:" + tls.serverKey(),
        "--spring.ssl.bundle.pem.tcportal.reload-on-update=true");
  }

  /** Health over HTTPS, trusting the local CA, at the address the service listens on. */
  private java.net.URI healthUri(String scheme, int port) {
    String bind = settings.bindAddress();
    String host =
        bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")
            ? StackSettings.LOOPBACK
            : bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    return java.net.URI.create(scheme + "://" + host + ":" + port + HEALTH);
  }

  /**
   * Runs copies of the jars: a rebuild of the checkout while the stack runs would otherwise replace
   * a jar under a running JVM, which then fails to load its next class.
   */
  static Map<String, Path> runCopies(Map<String, Path> jars, Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Map<String, Path> copies = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Path> jar : jars.entrySet()) {
      Path copy = runDir.resolve(jar.getKey() + ".jar");
      Files.copy(jar.getValue(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      copies.put(jar.getKey(), copy);
    }
    return copies;
  }

  /** Each module's executable jar: {@code <module>/target/<module>-<version>.jar}. */
  Map<String, Path> serviceJars() throws IOException {
    Map<String, Path> jars = new java.util.LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String module :
        List.of("ingest-gateway", "run-processor", "incidents-service", "notifier")) {
      Optional<Path> jar =
          findJar(settings.repositoryRoot().resolve(module).resolve("target"), module);
      if (jar.isPresent()) {
        jars.put(module, jar.get());
      } else {
        missing.add(module);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(
          "No executable jar for "
              + String.join(", ", missing)
              + " under "
              + settings.repositoryRoot()
              + ". Build them first from the repository root: ./mvnw -B -q -DskipTests package"
              + " (or set TCPORTAL_HOME to the checkout that has them)");
    }
    return jars;
  }

  private static Optional<Path> findJar(Path target, String module) throws IOException {
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> candidates = Files.newDirectoryStream(target, module + "-*.jar")) {
      for (Path candidate : candidates) {
        String name = candidate.getFileName().toString();
        if (!name.endsWith("-sources.jar")
            && !name.endsWith("-javadoc.jar")
            && !name.endsWith("-tests.jar")) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Writes the one-class agent jar that makes each service exit when the launcher is gone. It is
   * written at run time because this launcher is itself a nested jar the JVM cannot load agents
   * from.
   */
  static Path writeWatchdogAgent(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path jar = dir.resolve("tcportal-watchdog-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(new Attributes.Name("Premain-Class"), ParentWatchdog.class.getName());
    String entry = ParentWatchdog.class.getName().replace('.', '/') + ".class";
    try (InputStream classBytes = ParentWatchdog.class.getClassLoader().getResourceAsStream(entry);
        OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      if (classBytes == null) {
        throw new IOException("Class file of the watchdog agent not found: " + entry);
      }
      out.putNextEntry(new JarEntry(entry));
      classBytes.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  void printReady() {
    String host = settings.urlHost();
    String gateway = "https://" + host + ":" + settings.gatewayHttpsPort();
    String incidents = incidentsUrl();
    String secret = webhookSecret.value();
    String ca = tls.ca().toString();
    String firstReport =
        "{\"task_key\":\"hello_local_stack\",\"task_name\":\"はじめての報告\",\"kind\":\"bat\","
            + "\"status\":\"failed\",\"exit_code\":1,\"message\":\"Hello from curl\"}";
    console.println();
    console.println("==================================================================");
    console.println(" TC Portal Monitor (local stack)");
    console.println("  Report endpoint   : " + gateway + "/api/monitor/report");
    console.println(
        "    plain HTTP      : http://"
            + host
            + ":"
            + settings.gatewayPort()
            + "/api/monitor/report"
            + " (clients that do not trust the CA yet)");
    console.println("  Incidents (UI/API): " + incidents + "/incidents");
    console.println(
        "    plain HTTP      : http://"
            + host
            + ":"
            + settings.incidentsPort()
            + " (redirects to HTTPS)");
    console.println("  Processor health  : http://localhost:" + settings.processorPort() + HEALTH);
    console.println("  Notifier health   : " + notifierHealth());
    console.println(
        "    channels        : not yet editable from the dashboard (see docs/notifier.md)");
    console.println("  Kafka bootstrap   : " + settings.kafkaBootstrap());
    console.println(
        "  PostgreSQL        : "
            + settings.jdbcUrl()
            + " (user "
            + settings.databaseUser()
            + (settings.embeddedPostgres()
                ? ", password in " + settings.secretsDir().resolve("postgres-password")
                : "")
            + ")");
    console.println("  Listening on      : " + settings.bindAddress() + " (TCPORTAL_BIND_ADDRESS)");
    console.println("  Data folder       : " + settings.dataDir());
    console.println("  Service logs      : " + settings.dataDir().resolve("logs"));
    console.println(
        "  Webhook secret    : "
            + secret
            + "   ("
            + webhookSecret.origin("TC_PORTAL_WEBHOOK_SECRET")
            + ")");
    console.println(
        "  Admin login       : admin / "
            + adminPassword.value()
            + "   ("
            + adminPassword.origin("TC_PORTAL_ADMIN_PASSWORD")
            + ")");
    console.println("  Local CA          : " + ca);
    console.println();
    console.println(" Trust the local CA on a Windows PC (copy ca.pem there; as administrator):");
    console.println(
        "  PowerShell: Import-Certificate -FilePath ca.pem -CertStoreLocation Cert:\\LocalMachine\\Root");
    console.println("  cmd       : certutil -addstore -f Root ca.pem");
    console.println();
    console.println(" Post a first report with curl:");
    console.println(
        "  curl -sS --cacert "
            + shellQuote(ca)
            + " -X POST "
            + gateway
            + "/api/monitor/report -H 'Content-Type: application/json; charset=utf-8'"
            + " -H 'X-TC-Portal-Secret: "
            + secret
            + "' -d '"
            + firstReport
            + "'");
    console.println();
    console.println(
        " or with Python (the client in monitoring/python, run from the repository root):");
    console.println("  " + pythonLine(gateway, secret));
    console.println("==================================================================");
    console.println(READY_LINE + " (Ctrl-C stops it)");
  }

  String pythonLine(String gateway, String secret) {
    Path client = settings.repositoryRoot().resolve("monitoring").resolve("python");
    String ca = shellQuote(tls.ca().toString());
    // TC_PORTAL_CA_FILE is the client's own setting; SSL_CERT_FILE makes any Python trust it too.
    return "TC_PORTAL_BASE_URL="
        + gateway
        + " TC_PORTAL_CA_FILE="
        + ca
        + " SSL_CERT_FILE="
        + ca
        + " TC_PORTAL_WEBHOOK_SECRET="
        + secret
        + " PYTHONPATH="
        + shellQuote(client.toString())
        + " python3 -c \"from tcportal_monitor import report_task_status;"
        + " report_task_status('hello_python', 'Pythonからの報告', 'success', message='Hello from Python')\"";
  }

  /** Single quotes for a POSIX shell, so a data folder with spaces pastes as one word. */
  static String shellQuote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  void awaitStop() {
    try {
      stoppedLatch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Services first (they flush to the broker and database), then the broker, then the database. */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    synchronized (lifecycle) {
      stopStarted();
    }
    stoppedLatch.countDown();
  }

  private void stopStarted() {
    console.println("[local-stack] stopping");
    services.forEach(ServiceProcess::beginStop);
    for (ServiceProcess service : services) {
      try {
        service.awaitStopped(SERVICE_STOP_GRACE);
        console.println("[local-stack] " + service.name() + " stopped");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (broker != null) {
      try {
        broker.close();
        console.println("[local-stack] Kafka stopped");
      } catch (RuntimeException e) {
        console.println("[local-stack] Kafka did not stop cleanly: " + e.getMessage());
      }
    }
    if (database != null) {
      try {
        database.close();
        console.println("[local-stack] PostgreSQL stopped");
      } catch (IOException | RuntimeException e) {
        console.println("[local-stack] PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
    console.println("[local-stack] stopped");
  }

  /** The jar this launcher runs from, to find the checkout it was built in. */
  private static Path launcherJar() {
    Path fromCodeSource =
        jarOf(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toString());
    if (fromCodeSource != null) {
      return fromCodeSource;
    }
    // "java -jar x.jar": the class path is that one jar.
    String classPath = System.getProperty("java.class.path", "");
    return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
        ? Path.of(classPath).toAbsolutePath()
        : null;
  }

  /**
   * The jar file in a code-source location: {@code file:/…/x.jar}, Spring Boot's nested form {@code
   * jar:nested:/…/x.jar/!BOOT-INF/classes/!/} (Boot 3.2+) or the older {@code
   * jar:file:/…/x.jar!/BOOT-INF/classes!/}. Null when it is no jar (classes in an IDE).
   */
  static Path jarOf(String location) {
    try {
      String path = location.startsWith("jar:") ? location.substring("jar:".length()) : location;
      if (path.startsWith("nested:")) {
        // The jar ends where its nested entry begins ("/!BOOT-INF/…").
        int entry = path.indexOf("/!");
        path = "file:" + path.substring("nested:".length(), entry < 0 ? path.length() : entry);
      } else if (path.contains("!/")) {
        path = path.substring(0, path.indexOf("!/"));
      }
      if (!path.endsWith(".jar")) {
        return null;
      }
      return Path.of(new java.net.URI(path));
    } catch (RuntimeException | URISyntaxException e) {
      return null;
    }
  }
}
