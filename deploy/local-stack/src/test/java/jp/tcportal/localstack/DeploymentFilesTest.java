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
      Map.of("ingest-gateway", 8080, "run-processor", 8082, "incidents-service", 8081);

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
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service"})
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
                                || name.contains("WEBHOOK_SECRET"))
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
  }

  // ---- Dockerfile

  @ParameterizedTest
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service"})
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
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service"})
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
  @CsvSource({"ingest-gateway", "run-processor", "incidents-service"})
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
        if (name.contains("PASSWORD") || name.contains("SECRET")) {
          assertThat(env).as(name + " of " + service).doesNotContainKey("value");
          assertThat(map(map(env.get("valueFrom")).get("secretKeyRef")))
              .containsEntry("name", "tcportal-secrets");
        }
      }
    }
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
            "admin-password");
    assertThat(list(overlay.get("images")))
        .extracting(image -> String.valueOf(map(image).get("name")))
        .containsExactlyInAnyOrder(
            "tcportal/ingest-gateway", "tcportal/run-processor", "tcportal/incidents-service");
  }

  // ---- reading the files

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
