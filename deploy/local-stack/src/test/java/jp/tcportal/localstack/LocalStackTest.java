package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

  @TempDir Path dataDir;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private LocalStack stack(Map<String, String> env) {
    Map<String, String> withData = new java.util.HashMap<>(env);
    withData.put("TCPORTAL_DATA_DIR", dataDir.toString());
    return new LocalStack(
        StackSettings.fromEnvironment(withData, dataDir, null),
        new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  private static Map<String, Path> jars() {
    return Map.of(
        "ingest-gateway", Path.of("/jars/gateway.jar"),
        "run-processor", Path.of("/jars/processor.jar"),
        "incidents-service", Path.of("/jars/incidents.jar"),
        "notifier", Path.of("/jars/notifier.jar"));
  }

  @Test
  void generatesTheEncryptionKeyOnceIntoAPrivateFileAndGivesItToTheNotifierThroughTheEnvironment()
      throws Exception {
    LocalStack stack = stack(Map.of("TCPORTAL_NOTIFIER_PORT", "18083"));
    stack.prepare();

    Path file = dataDir.resolve("secrets/encryption-key");
    String key = Files.readString(file).strip();
    // A key the notifier accepts: Base64 of 32 bytes.
    assertThat(jp.tcportal.schema.secret.ChannelCrypto.fromBase64Key(key)).isNotNull();
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    ServiceProcess.Spec notifier =
        stack.serviceSpecs(jars()).stream()
            .filter(spec -> spec.name().equals("notifier"))
            .findFirst()
            .orElseThrow();
    assertThat(notifier.jar()).isEqualTo(Path.of("/jars/notifier.jar"));
    assertThat(notifier.environment())
        .containsEntry("TC_PORTAL_ENCRYPTION_KEY", key)
        .containsEntry("TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS", "true")
        .containsEntry("TCPORTAL_PUBLIC_URL", "https://localhost:8444");
    assertThat(String.join(" ", notifier.arguments()))
        .as("arguments are visible to every user in ps")
        .doesNotContain(key);
    assertThat(notifier.arguments())
        .contains(
            "--server.address=127.0.0.1",
            "--management.server.port=18083",
            "--spring.liquibase.enabled=false");
    assertThat(notifier.health()).hasToString("http://127.0.0.1:18083/actuator/health");

    // The next start keeps the key: channels sealed with it stay readable.
    LocalStack again = stack(Map.of());
    again.prepare();
    assertThat(Files.readString(file).strip()).isEqualTo(key);
  }

  @Test
  void passesTheDatabasePasswordThroughTheEnvironmentNeverAsAnArgument() throws Exception {
    LocalStack stack =
        stack(
            Map.of(
                "TCPORTAL_DATABASE_URL", "jdbc:postgresql://db:5432/tcportal",
                "TCPORTAL_DATABASE_USER", "owner",
                "TCPORTAL_DATABASE_PASSWORD", "db-s3cret-on-no-command-line"));
    stack.prepare();

    List<ServiceProcess.Spec> specs = stack.serviceSpecs(jars());

    String webhook = Files.readString(dataDir.resolve("webhook-secret")).trim();
    String admin = Files.readString(dataDir.resolve("admin-password")).trim();
    for (ServiceProcess.Spec spec : specs) {
      assertThat(String.join(" ", spec.arguments()))
          .as(spec.name() + " arguments (visible to every user in ps)")
          .doesNotContain("db-s3cret-on-no-command-line", webhook, admin)
          .doesNotContain("password=");
    }
    Map<String, ServiceProcess.Spec> byName = new java.util.HashMap<>();
    specs.forEach(spec -> byName.put(spec.name(), spec));
    assertThat(byName.get("processor").environment())
        .containsEntry("SPRING_DATASOURCE_PASSWORD", "db-s3cret-on-no-command-line");
    assertThat(byName.get("incidents").environment())
        .containsEntry("SPRING_DATASOURCE_PASSWORD", "db-s3cret-on-no-command-line")
        .containsEntry("TC_PORTAL_ADMIN_PASSWORD", admin);
    assertThat(byName.get("gateway").environment())
        .containsEntry("TC_PORTAL_WEBHOOK_SECRET", webhook);
  }

  @Test
  void generatesTheEmbeddedDatabasePasswordIntoAPrivateFileAndGivesItToTheServices()
      throws Exception {
    LocalStack stack = stack(Map.of());
    stack.prepare();

    Path file = dataDir.resolve("secrets/postgres-password");
    String password = Files.readString(file).strip();
    assertThat(password).matches("[A-Za-z0-9_-]{32}");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(stack.serviceSpecs(jars()))
        .filteredOn(spec -> !spec.name().equals("gateway"))
        .allSatisfy(
            spec ->
                assertThat(spec.environment())
                    .containsEntry("SPRING_DATASOURCE_PASSWORD", password));
  }

  @Test
  void servesTheWebServicesOverHttpsOnTheBindAddressWithThePlainPortBeside() throws Exception {
    LocalStack stack =
        stack(
            Map.of(
                "TCPORTAL_BIND_ADDRESS", "127.0.0.1",
                "TCPORTAL_GATEWAY_PORT", "18080",
                "TCPORTAL_GATEWAY_HTTPS_PORT", "18443"));
    stack.prepare();

    ServiceProcess.Spec gateway = stack.serviceSpecs(jars()).get(0);

    assertThat(gateway.arguments())
        .contains(
            "--server.address=127.0.0.1",
            "--server.port=18443",
            "--server.ssl.bundle=tcportal",
            "--spring.ssl.bundle.pem.tcportal.keystore.certificate=file:"
                + dataDir.resolve("tls/server.pem"),
            "--spring.ssl.bundle.pem.tcportal.keystore.private-key=file:"
                + dataDir.resolve("tls/server-key.pem"),
            "--tcportal.gateway.plain-http-port=18080");
    assertThat(gateway.health()).hasToString("https://127.0.0.1:18443/actuator/health");
    assertThat(stack.serviceSpecs(jars()).get(1).arguments())
        .contains("--server.address=127.0.0.1");
  }

  @Test
  void findsItsOwnJarInEachFormOfCodeSourceLocation() {
    Path jar = Path.of("/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar");

    // Spring Boot 3.2+ (this launcher's loader): the form that made a stack started from another
    // directory miss its checkout, and with it the data folder and the secret.
    assertThat(
            LocalStack.jarOf(
                "jar:nested:/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar/!BOOT-INF/classes/!/"))
        .isEqualTo(jar);
    assertThat(
            LocalStack.jarOf(
                "jar:file:/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar!/BOOT-INF/classes!/"))
        .isEqualTo(jar);
    assertThat(
            LocalStack.jarOf(
                "file:/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar"))
        .isEqualTo(jar);
    assertThat(LocalStack.jarOf("file:/builds/tcportal/deploy/local-stack/target/classes/"))
        .isNull();
  }
}
