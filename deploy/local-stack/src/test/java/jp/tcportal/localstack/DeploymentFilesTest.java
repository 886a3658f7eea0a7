package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The production files cannot run here (no Docker engine, no cluster), so their key facts are
 * checked by reading them: the compose file's and manifests' YAML, the Dockerfile's stages, and the
 * images' entry points against the built jars' manifests.
 */
class DeploymentFilesTest {

  private static final Path DEPLOY = Checkout.root().resolve("deploy");

  /** service → (container port that serves actuator health, main class of the app). */
  private static final Map<String, Integer> HEALTH_PORTS =
      Map.of(
          "ingest-gateway",
          8080,
          "run-processor",
          8082,
          "incidents-service",
          8081,
          "notifier",
          8083);

  // ---- docker compose

  @Test
  void composeRunsAThreeBrokerKraftClusterThatKeepsEveryWriteOnTwoBrokers() {
    Map<String, Object> services = map(compose().get("services"));
    List<String> brokers = List.of("kafka-1", "kafka-2", "kafka-3");
    for (String broker : brokers) {
      Map<String, Object> env = map(map(services.get(broker)).get("environment"));
      assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
      assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).split(","))
          .containsExactly("1@kafka-1:9093", "2@kafka-2:9093", "3@kafka-3:9093");
      assertThat(env.get("KAFKA_NODE_ID")).isEqualTo(broker.substring("kafka-".length()));
      assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo("3");
      assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
      assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("3");
      assertThat(env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE")).isEqualTo("false");
      assertThat(env.get("KAFKA_ADVERTISED_LISTENERS"))
          .isEqualTo("PLAINTEXT://" + broker + ":9092");
    }
    Map<String, Object> gatewayEnv = map(map(services.get("ingest-gateway")).get("environment"));
    assertThat(gatewayEnv)
        .containsEntry("TCPORTAL_TOPICS_REPLICATIONFACTOR", "3")
        .containsEntry("TCPORTAL_TOPICS_MININSYNCREPLICAS", "2")
        .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka-1:9092,kafka-2:9092,kafka-3:9092");
  }

  @ParameterizedTest
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service", "notifier"})
  void composeBuildsEachServiceFromItsDockerfileStageAndChecksItsActuatorHealth(String service) {
    Map<String, Object> definition = map(map(compose().get("services")).get(service));
    Map<String, Object> build = map(definition.get("build"));
    assertThat(build.get("target")).isEqualTo(service);
    assertThat(DEPLOY.resolve("compose").resolve(String.valueOf(build.get("context"))).normalize())
        .isEqualTo(Checkout.root());
    assertThat(dockerfileStages()).containsKey(service);

    List<Object> test = list(map(definition.get("healthcheck")).get("test"));
    assertThat(String.join(" ", test.stream().map(String::valueOf).toList()))
        .contains("http://127.0.0.1:" + HEALTH_PORTS.get(service) + "/actuator/health");
  }

  @Test
  void composeKeepsSecretsInSecretFilesNotInTheEnvironment() {
    Map<String, Object> root = compose();
    Map<String, Object> declared = map(root.get("secrets"));
    for (Map.Entry<String, Object> service : map(root.get("services")).entrySet()) {
      Map<String, Object> definition = map(service.getValue());
      Object environment = definition.get("environment");
      if (environment != null) {
        assertThat(map(environment).keySet())
            .as(service.getKey() + " has no secret in plain environment")
            .allSatisfy(
                name ->
                    assertThat(
                            name.contains("PASSWORD") && !name.endsWith("_FILE")
                                || name.contains("WEBHOOK_SECRET")
                                || name.contains("ENCRYPTION_KEY"))
                        .isFalse());
      }
      Object secrets = definition.get("secrets");
      if (secrets != null) {
        for (Object secret : list(secrets)) {
          assertThat(declared).containsKey(String.valueOf(map(secret).get("source")));
        }
      }
    }
    assertThat(declared.values())
        .allSatisfy(
            secret -> assertThat(map(secret).get("file")).asString().startsWith("./secrets/"));
    assertThat(map(map(root.get("services")).get("ingest-gateway")).get("secrets").toString())
        .contains("tcportal.gateway.webhook-secret");
    assertThat(map(map(root.get("services")).get("notifier")).get("secrets").toString())
        .contains("tcportal.notifier.encryption-key");
  }

  @Test
  void composeStartsTheNotifierOnceTheProcessorHasAppliedTheSchema() {
    Map<String, Object> notifier = map(map(compose().get("services")).get("notifier"));
    assertThat(map(map(notifier.get("depends_on")).get("run-processor")))
        .containsEntry("condition", "service_healthy");
    assertThat(map(notifier.get("environment")))
        .containsEntry("SPRING_LIQUIBASE_ENABLED", "false")
        .doesNotContainKey("TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS");
    assertThat(notifier).doesNotContainKey("ports");
  }

  @Test
  void composeRunsTheIncidentsServiceAsAReadMostlyRoleThatTheProcessorsMigrationIsGrantedTo()
      throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    Map<String, Object> incidents = map(services.get("incidents-service"));
    Map<String, Object> incidentsEnv = map(incidents.get("environment"));
    String owner =
        String.valueOf(map(map(services.get("postgres")).get("environment")).get("POSTGRES_USER"));
    String processorUser =
        String.valueOf(
            map(map(services.get("run-processor")).get("environment"))
                .get("SPRING_DATASOURCE_USERNAME"));
    String incidentsUser = String.valueOf(incidentsEnv.get("SPRING_DATASOURCE_USERNAME"));

    assertThat(incidentsUser).isNotEqualTo(owner).isNotEqualTo(processorUser);
    assertThat(secretSources(incidents))
        .contains("incidents-database-password")
        .doesNotContain("postgres-password");
    // The role exists, with its grants, before the service starts: a one-shot after the migration.
    assertThat(map(map(incidents.get("depends_on")).get("incidents-db-role")))
        .containsEntry("condition", "service_completed_successfully");
    Map<String, Object> role = map(services.get("incidents-db-role"));
    assertThat(map(map(role.get("depends_on")).get("run-processor")))
        .containsEntry("condition", "service_healthy");
    Map<String, String> mounts = mounts(role);
    assertThat(DEPLOY.resolve("compose").resolve(mounts.get("/etc/tcportal/sql")).normalize())
        .isEqualTo(Checkout.root().resolve("docs/sql"));
    Path script = DEPLOY.resolve("compose").resolve(mounts.get("/etc/tcportal/incidents-role.sql"));
    String sql = Files.readString(script);
    assertThat(sql)
        .contains("CREATE ROLE " + incidentsUser + " LOGIN")
        .contains("PASSWORD :'incidents_password'")
        .contains("`cat /run/secrets/incidents-database-password`")
        .contains("\\i /etc/tcportal/sql/incidents-read-mostly-role.sql");
    assertThat(Files.readString(Checkout.root().resolve("docs/sql/incidents-read-mostly-role.sql")))
        .contains("TO " + incidentsUser + ";");
    // Kubernetes uses the same role name as the SQL file.
    assertThat(env(container("incidents-service")).get("SPRING_DATASOURCE_USERNAME"))
        .isEqualTo(incidentsUser);
  }

  @Test
  void composeRoleScriptMakesALoginThatReadsRunsButCannotWriteThem() throws Exception {
    // The compose script and docs/sql against a real PostgreSQL, with the tables the grants name
    // (the real schema is the processor's; ReadMostlyRoleTest covers the service on it).
    String url = jp.tcportal.testsupport.TestPostgres.newDatabase("compose_role");
    String database = url.substring(url.lastIndexOf('/') + 1);
    try (java.sql.Connection owner =
            java.sql.DriverManager.getConnection(url, "postgres", "postgres");
        java.sql.Statement ddl = owner.createStatement()) {
      ddl.execute(
          "CREATE TABLE task_monitors (id bigint PRIMARY KEY, last_status text, enabled boolean,"
              + " updated_at timestamptz, schedule_type text, schedule_interval_seconds integer,"
              + " schedule_cron text, schedule_time_zone text, grace_seconds integer,"
              + " max_runtime_seconds integer, failure_threshold integer,"
              + " recovery_threshold integer);"
              + " CREATE TABLE task_monitor_runs (id bigint PRIMARY KEY, monitor_id bigint);"
              + " CREATE TABLE tcportal_users (id bigint PRIMARY KEY);"
              + " CREATE TABLE databasechangelog (id text);"
              + " INSERT INTO task_monitors VALUES (1, 'failed', true, now());");
    }
    Path work = Files.createTempDirectory(Checkout.moduleTarget(), "compose-role");
    Path password = work.resolve("incidents-database-password");
    Files.writeString(password, "role-pw-" + System.nanoTime() + "\n");
    String script =
        Files.readString(DEPLOY.resolve("compose/postgres/incidents-role.sql"))
            .replace("/run/secrets/incidents-database-password", password.toString())
            .replace("/etc/tcportal/sql/", Checkout.root().resolve("docs/sql") + "/")
            .replace("DATABASE tcportal ", "DATABASE " + database + " ");
    Path copy = work.resolve("incidents-role.sql");
    Files.writeString(copy, script);

    for (int run = 1; run <= 2; run++) { // it runs again at every "docker compose up"
      Process psql =
          new ProcessBuilder(
                  "psql",
                  "-X",
                  "-h",
                  "localhost",
                  "-p",
                  String.valueOf(jp.tcportal.testsupport.TestPostgres.port()),
                  "-U",
                  "postgres",
                  "-d",
                  database,
                  "-f",
                  copy.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(psql.waitFor()).as("run " + run + ": " + output).isZero();
    }

    try (java.sql.Connection superuser =
            java.sql.DriverManager.getConnection(url, "postgres", "postgres");
        java.sql.ResultSet role =
            superuser
                .createStatement()
                .executeQuery(
                    "SELECT rolcanlogin, rolsuper, rolpassword IS NOT NULL FROM pg_authid"
                        + " WHERE rolname = 'tcportal_incidents'")) {
      assertThat(role.next()).isTrue();
      assertThat(role.getBoolean(1)).as("can log in").isTrue();
      assertThat(role.getBoolean(2)).as("superuser").isFalse();
      assertThat(role.getBoolean(3)).as("has a password").isTrue();
    }
    try (java.sql.Connection incidents =
            java.sql.DriverManager.getConnection(url, "tcportal_incidents", "unused-with-trust");
        java.sql.Statement statement = incidents.createStatement()) {
      try (java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM task_monitors")) {
        assertThat(rows.next()).isTrue();
      }
      assertThat(statement.executeUpdate("UPDATE task_monitors SET enabled = false WHERE id = 1"))
          .isEqualTo(1);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> statement.executeUpdate("INSERT INTO task_monitor_runs VALUES (1, 1)"))
          .hasMessageContaining("permission denied");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> statement.executeUpdate("UPDATE task_monitors SET last_status = 'success'"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void composeServesTheGatewayAndTheDashboardOverTlsFromTheMountedCertificateFolder() {
    Map<String, Object> services = map(compose().get("services"));
    Map<String, String> httpsPorts = Map.of("ingest-gateway", "8443", "incidents-service", "8444");
    Map<String, String> plainPorts =
        Map.of(
            "ingest-gateway", "TCPORTAL_GATEWAY_PLAIN_HTTP_PORT",
            "incidents-service", "TCPORTAL_INCIDENTS_PLAIN_HTTP_PORT");
    for (String service : httpsPorts.keySet()) {
      Map<String, Object> definition = map(services.get(service));
      Map<String, Object> env = map(definition.get("environment"));
      String bundle = String.valueOf(env.get("SERVER_SSL_BUNDLE"));
      String prefix = "SPRING_SSL_BUNDLE_PEM_" + bundle.toUpperCase() + "_";
      assertThat(env)
          .as(service)
          .containsEntry("SERVER_PORT", httpsPorts.get(service))
          .containsEntry(plainPorts.get(service), String.valueOf(HEALTH_PORTS.get(service)))
          .containsEntry(prefix + "RELOADONUPDATE", "true");
      String tlsFolder =
          mounts(definition).entrySet().stream()
              .filter(mount -> mount.getValue().equals("./tls"))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(() -> new AssertionError(service + " mounts no ./tls"));
      assertThat(env.get(prefix + "KEYSTORE_CERTIFICATE"))
          .isEqualTo("file:" + tlsFolder + "/server.pem");
      assertThat(env.get(prefix + "KEYSTORE_PRIVATEKEY"))
          .isEqualTo("file:" + tlsFolder + "/server-key.pem");
      assertThat(list(definition.get("ports")))
          .contains(httpsPorts.get(service) + ":" + httpsPorts.get(service));
    }
  }

  @Test
  void composeMakesTheCertificatesItMountsWithItsScript() throws Exception {
    Path copy = Files.createTempDirectory(Checkout.moduleTarget(), "compose-tls");
    Files.copy(DEPLOY.resolve("compose/make-tls.sh"), copy.resolve("make-tls.sh"));

    Process script =
        new ProcessBuilder(
                "sh", copy.resolve("make-tls.sh").toString(), "tcportal.example.com", "192.0.2.10")
            .redirectErrorStream(true)
            .start();
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(script.waitFor()).as(output).isZero();

    Path tls = copy.resolve("tls");
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                tls + "/ca.pem",
                "-verify_hostname",
                "postgres",
                tls + "/postgres.pem"))
        .isZero();
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                tls + "/ca.pem",
                "-verify_hostname",
                "tcportal.example.com",
                tls + "/server.pem"))
        .isZero();
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                tls + "/ca.pem",
                "-verify_ip",
                "192.0.2.10",
                tls + "/server.pem"))
        .isZero();
    for (String key : List.of("server-key.pem", "postgres-key.pem")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(tls.resolve(key))))
          .as(key)
          .isEqualTo("rw-------");
    }
    // The CA's key is never in the folder the containers mount.
    assertThat(tls.resolve("ca-key.pem")).doesNotExist();
    assertThat(Files.readString(DEPLOY.resolve("compose/.gitignore")))
        .contains("tls/", "tls-ca/", "secrets/");
  }

  @Test
  void productionDatabaseConnectionsRequireVerifiedTls() throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    for (String service : List.of("run-processor", "incidents-service", "notifier")) {
      Map<String, Object> definition = map(services.get(service));
      String url = String.valueOf(map(definition.get("environment")).get("SPRING_DATASOURCE_URL"));
      assertThat(url).as(service).contains("sslmode=verify-full");
      assertThat(mounts(definition)).containsKey(parentOf(sslRootCert(url)));
    }
    Map<String, Object> role = map(services.get("incidents-db-role"));
    assertThat(map(role.get("environment"))).containsEntry("PGSSLMODE", "verify-full");
    // The server side: TLS on, and a pg_hba.conf with no line that takes a connection without it.
    Map<String, Object> postgres = map(services.get("postgres"));
    String command =
        String.join(" ", list(postgres.get("command")).stream().map(String::valueOf).toList());
    assertThat(command).contains("-c ssl=on", "-c hba_file=/etc/tcportal/pg_hba.conf");
    Path hba = DEPLOY.resolve("compose").resolve(mounts(postgres).get("/etc/tcportal/pg_hba.conf"));
    List<String> rules =
        Files.readAllLines(hba).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(rules).allSatisfy(rule -> assertThat(rule).matches("^(local|hostssl)\\s.*"));
    assertThat(rules)
        .anySatisfy(rule -> assertThat(rule).startsWith("hostssl").endsWith("scram-sha-256"));

    List<String> kubernetesUrls =
        List.of(
            baseConfig().get("SPRING_DATASOURCE_URL"),
            literals(yaml(DEPLOY.resolve("k8s/overlays/production/kustomization.yaml")))
                .get("SPRING_DATASOURCE_URL"));
    for (String url : kubernetesUrls) {
      assertThat(url).contains("sslmode=verify-full");
      for (String service : List.of("run-processor", "incidents-service", "notifier")) {
        Map<String, Object> container = container(service);
        assertThat(list(container.get("volumeMounts")))
            .extracting(mount -> String.valueOf(map(mount).get("mountPath")))
            .as(service + " mounts the database CA")
            .contains(parentOf(sslRootCert(url)));
      }
    }
  }

  @Test
  void kubernetesServesThePortalOverHttpsThroughAnIngressWithCertManager() {
    Path overlay = DEPLOY.resolve("k8s/overlays/production");
    assertThat(list(yaml(overlay.resolve("kustomization.yaml")).get("resources")))
        .contains("ingress.yaml");
    Map<String, Object> ingress = yaml(overlay.resolve("ingress.yaml"));
    assertThat(ingress.get("kind")).isEqualTo("Ingress");
    Map<String, Object> annotations = map(map(ingress.get("metadata")).get("annotations"));
    String issuer = String.valueOf(annotations.get("cert-manager.io/cluster-issuer"));
    assertThat(yamlDocuments(overlay.resolve("cluster-issuer.example.yaml")))
        .anySatisfy(
            document -> {
              assertThat(map(document).get("kind")).isEqualTo("ClusterIssuer");
              assertThat(map(map(document).get("metadata")).get("name")).isEqualTo(issuer);
            });
    assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/force-ssl-redirect", "true");
    // A 1 MiB report must reach the gateway, which answers larger ones with the spec's error body.
    assertThat(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/proxy-body-size")))
        .isEqualTo("2m");

    Map<String, Object> spec = map(ingress.get("spec"));
    Map<String, Object> tls = map(list(spec.get("tls")).get(0));
    assertThat(String.valueOf(tls.get("secretName"))).isNotBlank();
    Map<String, Object> rule = map(list(spec.get("rules")).get(0));
    assertThat(list(tls.get("hosts"))).containsExactly(rule.get("host"));
    Map<String, String> backends = new LinkedHashMap<>();
    for (Object path : list(map(rule.get("http")).get("paths"))) {
      backends.put(
          String.valueOf(map(path).get("path")),
          String.valueOf(map(map(map(path).get("backend")).get("service")).get("name")));
    }
    assertThat(backends)
        .containsEntry("/api/monitor/", "ingest-gateway")
        .containsEntry("/", "incidents-service");
    // Every backend is a Service of the base.
    backends.values().forEach(service -> manifest(service, "Service"));
  }

  @Test
  void dockerBuildContextLeavesOutSecretsKeysAndBuildOutput() throws IOException {
    List<String> root = ignorePatterns(Checkout.root().resolve(".dockerignore"));
    // BuildKit reads the Dockerfile's own ignore file instead of the root one: both must agree.
    assertThat(ignorePatterns(DEPLOY.resolve("docker/Dockerfile.dockerignore"))).isEqualTo(root);
    for (String secret :
        List.of(
            ".tcportal/webhook-secret",
            ".tcportal/secrets/postgres-password",
            ".tcportal/tls/server-key.pem",
            "deploy/compose/secrets/webhook-secret",
            "deploy/compose/tls/server-key.pem",
            "deploy/compose/tls-ca/ca-key.pem",
            "deploy/k8s/overlays/production/secrets.env",
            ".env",
            "monitoring/python/.env",
            "somewhere/client.key",
            "somewhere/company-ca.pem",
            "ingest-gateway/target/ingest-gateway-1.0.0-SNAPSHOT.jar",
            ".git/config")) {
      assertThat(dockerIgnores(root, secret))
          .as(secret + " left out of the build context")
          .isTrue();
    }
    for (String needed :
        List.of(
            "pom.xml",
            "mvnw",
            ".mvn/wrapper/maven-wrapper.properties",
            "shared-schema/src/main/resources/db/changelog/tcportal-changelog.yaml",
            "ingest-gateway/src/main/resources/application.yaml",
            "deploy/local-stack/pom.xml")) {
      assertThat(dockerIgnores(root, needed)).as(needed + " in the build context").isFalse();
    }
  }

  @Test
  void documentsKafkaAuthenticationDatabaseTlsAndTheCertificates() throws IOException {
    String deployDoc = Files.readString(Checkout.root().resolve("docs/deploy.md"));
    assertThat(deployDoc)
        .contains("spring.kafka.security.protocol", "SASL_SSL", "SCRAM-SHA-512", "ScramLoginModule")
        .contains("spring.kafka.ssl.bundle", "spring.ssl.bundle.pem.kafka")
        .contains("sslmode=verify-full")
        .contains("cert-manager.io/cluster-issuer")
        .contains(
            "Import-Certificate -FilePath ca.pem -CertStoreLocation Cert:\\LocalMachine\\Root")
        .contains(
            "TCPORTAL_BIND_ADDRESS",
            "TCPORTAL_GATEWAY_HTTPS_PORT",
            "TCPORTAL_INCIDENTS_HTTPS_PORT");
  }

  // ---- Dockerfile

  @ParameterizedTest
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service", "notifier"})
  void eachImageRunsAsANonRootUserWithAHealthCheck(String service) {
    String stage = dockerfileStages().get(service);
    assertThat(stage).as("stage " + service).isNotNull();
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(stage);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).doesNotStartWith("0").isNotEqualTo("root");
    assertThat(stage).contains("EXPOSE " + HEALTH_PORTS.get(service));
    assertThat(stage)
        .containsPattern(
            "HEALTHCHECK[^\\n]*\\\\\\n\\s*CMD curl -fsS http://127.0.0.1:"
                + HEALTH_PORTS.get(service)
                + "/actuator/health");
  }

  @ParameterizedTest
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service", "notifier"})
  void eachImageStartsTheMainClassesOfItsJar(String service) throws IOException {
    Checkout.assumeServiceJarsBuilt(service);
    Manifest manifest;
    try (JarFile jar = new JarFile(Checkout.serviceJar(service).orElseThrow().toFile())) {
      manifest = jar.getManifest();
    }
    String stage = dockerfileStages().get(service);

    Matcher entryPoint =
        Pattern.compile("(?m)^ENTRYPOINT \\[\"java\", \"([\\w.]+)\"\\]").matcher(stage);
    assertThat(entryPoint.find()).as("ENTRYPOINT of " + service).isTrue();
    assertThat(entryPoint.group(1)).isEqualTo(manifest.getMainAttributes().getValue("Main-Class"));

    Matcher startClass =
        Pattern.compile("jp\\.tcportal\\.start-class=\"([\\w.]+)\"").matcher(stage);
    assertThat(startClass.find()).as("start-class label of " + service).isTrue();
    assertThat(startClass.group(1)).isEqualTo(manifest.getMainAttributes().getValue("Start-Class"));
    // The build stage extracts exactly this jar into the layers the stage copies.
    assertThat(dockerfile()).contains("${module}/target/${module}-1.0.0-SNAPSHOT.jar");
    assertThat(Checkout.serviceJar(service).orElseThrow().getFileName().toString())
        .isEqualTo(service + "-1.0.0-SNAPSHOT.jar");
  }

  // ---- Kubernetes

  @Test
  void kustomizationsListOnlyFilesThatExist() {
    for (Path kustomization :
        List.of(
            DEPLOY.resolve("k8s/base/kustomization.yaml"),
            DEPLOY.resolve("k8s/overlays/production/kustomization.yaml"))) {
      for (Object resource : list(yaml(kustomization).get("resources"))) {
        assertThat(kustomization.getParent().resolve(String.valueOf(resource)).normalize())
            .as("resource of " + kustomization)
            .exists();
      }
    }
    assertThat(DEPLOY.resolve("k8s/overlays/production/secrets.env.example")).exists();
  }

  @ParameterizedTest
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service", "notifier"})
  void eachDeploymentProbesItsActuatorHealthAndHasRequestsAndLimits(String service) {
    Map<String, Object> deployment = manifest(service, "Deployment");
    Map<String, Object> pod = map(map(deployment.get("spec")).get("template"));
    Map<String, Object> podSpec = map(pod.get("spec"));
    assertThat(map(podSpec.get("securityContext"))).containsEntry("runAsNonRoot", true);
    Map<String, Object> container = map(list(podSpec.get("containers")).get(0));

    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object port : list(container.get("ports"))) {
      ports.put(String.valueOf(map(port).get("name")), (Integer) map(port).get("containerPort"));
    }
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
      assertThat(String.valueOf(httpGet.get("path"))).startsWith("/actuator/health");
      assertThat(ports.get(String.valueOf(httpGet.get("port"))))
          .as(probe + " port of " + service)
          .isEqualTo(HEALTH_PORTS.get(service));
    }
    Map<String, Object> resources = map(container.get("resources"));
    for (String kind : List.of("requests", "limits")) {
      assertThat(map(resources.get(kind))).containsKeys("cpu", "memory");
    }
    assertThat(String.valueOf(container.get("image"))).isEqualTo("tcportal/" + service + ":1.0.0");
  }

  @Test
  void deploymentsTakeSecretsFromKubernetesSecrets() {
    for (String service : HEALTH_PORTS.keySet()) {
      Map<String, Object> container =
          map(
              list(map(map(map(manifest(service, "Deployment").get("spec")).get("template"))
                          .get("spec"))
                      .get("containers"))
                  .get(0));
      for (Object variable : list(container.get("env"))) {
        Map<String, Object> env = map(variable);
        String name = String.valueOf(env.get("name"));
        if (name.contains("PASSWORD")
            || name.contains("SECRET")
            || name.contains("ENCRYPTION_KEY")) {
          assertThat(env).as(name + " of " + service).doesNotContainKey("value");
          assertThat(map(map(env.get("valueFrom")).get("secretKeyRef")))
              .containsEntry("name", "tcportal-secrets");
        }
      }
    }
    // The notifier's channel key; the incidents service will read the same Secret key.
    Map<String, Object> key =
        list(container("notifier").get("env")).stream()
            .map(variable -> map(variable))
            .filter(variable -> "TC_PORTAL_ENCRYPTION_KEY".equals(variable.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("notifier has no TC_PORTAL_ENCRYPTION_KEY"));
    assertThat(map(map(key.get("valueFrom")).get("secretKeyRef")))
        .containsEntry("key", "encryption-key");
  }

  @Test
  void runsSeveralGatewaysAndNoMoreProcessorsThanPartitions() {
    int partitions = Integer.parseInt(baseConfig().get("TCPORTAL_TOPICS_PARTITIONS"));
    assertThat(baseConfig())
        .containsEntry("TCPORTAL_TOPICS_REPLICATIONFACTOR", "3")
        .containsEntry("TCPORTAL_TOPICS_MININSYNCREPLICAS", "2");

    assertThat((Integer) map(manifest("ingest-gateway", "Deployment").get("spec")).get("replicas"))
        .isGreaterThanOrEqualTo(2);
    assertThat(
            (Integer)
                map(manifest("ingest-gateway", "HorizontalPodAutoscaler").get("spec"))
                    .get("minReplicas"))
        .isGreaterThanOrEqualTo(2);

    assertThat((Integer) map(manifest("run-processor", "Deployment").get("spec")).get("replicas"))
        .isBetween(1, partitions);
    assertThat(
            (Integer)
                map(manifest("run-processor", "HorizontalPodAutoscaler").get("spec"))
                    .get("maxReplicas"))
        .isBetween(1, partitions);
  }

  @Test
  void productionOverlayGeneratesTheSecretTheDeploymentsRead() {
    Map<String, Object> overlay =
        yaml(DEPLOY.resolve("k8s/overlays/production/kustomization.yaml"));
    Map<String, Object> generator = map(list(overlay.get("secretGenerator")).get(0));
    assertThat(generator.get("name")).isEqualTo("tcportal-secrets");
    List<String> keys = new ArrayList<>();
    try {
      for (String line :
          Files.readAllLines(DEPLOY.resolve("k8s/overlays/production/secrets.env.example"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          keys.add(line.substring(0, line.indexOf('=')));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(keys)
        .contains(
            "webhook-secret",
            "processor-database-password",
            "incidents-database-password",
            "admin-password",
            "encryption-key");
    assertThat(list(overlay.get("images")))
        .extracting(image -> String.valueOf(map(image).get("name")))
        .containsExactlyInAnyOrder(
            "tcportal/ingest-gateway",
            "tcportal/run-processor",
            "tcportal/incidents-service",
            "tcportal/notifier");
  }

  // ---- reading the files

  private static int openssl(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  private static List<String> secretSources(Map<String, Object> service) {
    return list(service.get("secrets")).stream()
        .map(secret -> String.valueOf(map(secret).get("source")))
        .toList();
  }

  /** A compose service's bind mounts: container path → host path (as written). */
  private static Map<String, String> mounts(Map<String, Object> service) {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (Object volume : list(service.get("volumes"))) {
      String[] parts = String.valueOf(volume).split(":");
      mounts.put(parts[1], parts[0]);
    }
    return mounts;
  }

  private static String sslRootCert(String jdbcUrl) {
    Matcher cert = Pattern.compile("[?&]sslrootcert=([^&]+)").matcher(jdbcUrl);
    assertThat(cert.find()).as("sslrootcert in " + jdbcUrl).isTrue();
    return cert.group(1);
  }

  private static String parentOf(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  private static Map<String, Object> container(String deployment) {
    return map(
        list(map(map(map(manifest(deployment, "Deployment").get("spec")).get("template"))
                    .get("spec"))
                .get("containers"))
            .get(0));
  }

  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Object variable : list(container.get("env"))) {
      values.put(
          String.valueOf(map(variable).get("name")), String.valueOf(map(variable).get("value")));
    }
    return values;
  }

  private static List<String> ignorePatterns(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  /**
   * Docker's rule: a path is left out when it or one of its parent folders matches a pattern
   * ({@code **} also matches no folder at all; a trailing slash means the same as none).
   */
  private static boolean dockerIgnores(List<String> patterns, String path) {
    boolean ignored = false;
    String[] parts = path.split("/");
    for (String raw : patterns) {
      boolean exception = raw.startsWith("!");
      String pattern = (exception ? raw.substring(1) : raw).replaceAll("/+$", "");
      List<java.nio.file.PathMatcher> matchers = new ArrayList<>();
      matchers.add(java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern));
      if (pattern.startsWith("**/")) {
        matchers.add(
            java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
      }
      for (int length = 1; length <= parts.length; length++) {
        Path prefix = Path.of(String.join("/", List.of(parts).subList(0, length)));
        if (matchers.stream().anyMatch(matcher -> matcher.matches(prefix))) {
          ignored = !exception;
          break;
        }
      }
    }
    return ignored;
  }

  private static Map<String, String> literals(Map<String, Object> kustomization) {
    Map<String, String> config = new LinkedHashMap<>();
    for (Object generator : list(kustomization.get("configMapGenerator"))) {
      if ("tcportal-config".equals(map(generator).get("name"))) {
        for (Object literal : list(map(generator).get("literals"))) {
          String entry = String.valueOf(literal);
          config.put(
              entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
      }
    }
    return config;
  }

  private static Map<String, Object> compose() {
    return yaml(DEPLOY.resolve("compose/compose.yaml"));
  }

  private static String dockerfile() {
    try {
      return Files.readString(DEPLOY.resolve("docker/Dockerfile"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stage name → its text, from each {@code FROM ... AS name} to the next. */
  private static Map<String, String> dockerfileStages() {
    Map<String, String> stages = new LinkedHashMap<>();
    Matcher from = Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$").matcher(dockerfile());
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (from.find()) {
      starts.add(new int[] {from.start()});
      names.add(from.group(1));
    }
    String text = dockerfile();
    for (int i = 0; i < names.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
      stages.put(names.get(i), text.substring(starts.get(i)[0], end));
    }
    return stages;
  }

  private static Map<String, String> baseConfig() {
    Map<String, Object> base = yaml(DEPLOY.resolve("k8s/base/kustomization.yaml"));
    Map<String, String> config = new LinkedHashMap<>();
    for (Object generator : list(base.get("configMapGenerator"))) {
      if ("tcportal-config".equals(map(generator).get("name"))) {
        for (Object literal : list(map(generator).get("literals"))) {
          String entry = String.valueOf(literal);
          config.put(
              entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
      }
    }
    return config;
  }

  /** The object of that kind and name among the base manifests. */
  private static Map<String, Object> manifest(String name, String kind) {
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s/base"))) {
      for (Path file : files.filter(f -> !f.endsWith("kustomization.yaml")).toList()) {
        for (Object document : yamlDocuments(file)) {
          Map<String, Object> object = map(document);
          if (kind.equals(object.get("kind"))
              && name.equals(map(object.get("metadata")).get("name"))) {
            return object;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("No " + kind + " named " + name + " in deploy/k8s/base");
  }

  private static Map<String, Object> yaml(Path file) {
    List<Object> documents = yamlDocuments(file);
    assertThat(documents).as(file.toString()).hasSize(1);
    return map(documents.get(0));
  }

  private static List<Object> yamlDocuments(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try (InputStream in = Files.newInputStream(file)) {
      List<Object> documents = new ArrayList<>();
      new Yaml(options).loadAll(in).forEach(documents::add);
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }
}
