package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

  private static final Path CHECKOUT = Path.of("/home/dev/tcportal");

  @Test
  void defaultsToTheDocumentedPortsAndAFolderInTheCurrentDirectory() {
    StackSettings settings = StackSettings.fromEnvironment(Map.of(), CHECKOUT, null);

    assertThat(settings.dataDir()).isEqualTo(CHECKOUT.resolve(".tcportal"));
    assertThat(settings.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
    assertThat(settings.kafkaControllerPort()).isEqualTo(19093);
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:15432/tcportal");
    assertThat(settings.databaseUser()).isEqualTo("postgres");
    assertThat(settings.listeningPorts())
        .containsEntry("TCPORTAL_GATEWAY_PORT", 8080)
        .containsEntry("TCPORTAL_INCIDENTS_PORT", 8081)
        .containsEntry("TCPORTAL_GATEWAY_HTTPS_PORT", 8443)
        .containsEntry("TCPORTAL_INCIDENTS_HTTPS_PORT", 8444)
        .containsEntry("TCPORTAL_PROCESSOR_PORT", 8082)
        .containsEntry("TCPORTAL_NOTIFIER_PORT", 8083)
        .containsEntry("TCPORTAL_POSTGRES_PORT", 15432);
    assertThat(settings.gatewayHeap()).isEqualTo("256m");
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(180));
    assertThat(settings.echoServiceLogs()).isTrue();
    assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.urlHost()).isEqualTo("localhost");
  }

  @Test
  void keepsOneDataFolderInTheCheckoutWhereverTheLauncherIsStartedFrom() {
    Path jar = Path.of("/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar");

    Path fromRoot =
        StackSettings.fromEnvironment(Map.of(), Path.of("/builds/tcportal"), jar).dataDir();
    Path fromHome = StackSettings.fromEnvironment(Map.of(), Path.of("/home/ops"), jar).dataDir();
    Path fromRelative =
        StackSettings.fromEnvironment(
                Map.of("TCPORTAL_DATA_DIR", "stack-data"), Path.of("/home/ops/elsewhere"), jar)
            .dataDir();

    assertThat(fromRoot).isEqualTo(Path.of("/builds/tcportal/.tcportal"));
    assertThat(fromHome).isEqualTo(fromRoot);
    assertThat(fromRelative).isEqualTo(Path.of("/builds/tcportal/stack-data"));
    assertThat(
            StackSettings.fromEnvironment(
                    Map.of("TCPORTAL_DATA_DIR", "/srv/tcportal"), Path.of("/home/ops"), jar)
                .dataDir())
        .isEqualTo(Path.of("/srv/tcportal"));
  }

  @Test
  void listensOnTheAddressItIsToldAndNamesItInUrls() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of(
                "TCPORTAL_BIND_ADDRESS", "192.0.2.10",
                "TCPORTAL_GATEWAY_HTTPS_PORT", "9443",
                "TCPORTAL_INCIDENTS_HTTPS_PORT", "9444"),
            CHECKOUT,
            null);

    assertThat(settings.bindAddress()).isEqualTo("192.0.2.10");
    assertThat(settings.urlHost()).isEqualTo("192.0.2.10");
    assertThat(settings.gatewayHttpsPort()).isEqualTo(9443);
    assertThat(settings.incidentsHttpsPort()).isEqualTo(9444);
  }

  @Test
  void usesAnExistingKafkaAndPostgresqlWhenTold() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of(
                "TCPORTAL_KAFKA_BOOTSTRAP", "kafka-a:9092,kafka-b:9092",
                "TCPORTAL_DATABASE_URL", "jdbc:postgresql://db:5432/monitoring",
                "TCPORTAL_DATABASE_USER", "owner",
                "TCPORTAL_DATABASE_PASSWORD", "s3cret"),
            CHECKOUT,
            null);

    assertThat(settings.embeddedKafka()).isFalse();
    assertThat(settings.embeddedPostgres()).isFalse();
    assertThat(settings.kafkaBootstrap()).isEqualTo("kafka-a:9092,kafka-b:9092");
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/monitoring");
    assertThat(settings.databasePassword()).isEqualTo("s3cret");
    // Nothing embedded listens, so only the services' ports must be free.
    assertThat(settings.listeningPorts())
        .doesNotContainKeys(
            "TCPORTAL_KAFKA_PORT", "TCPORTAL_KAFKA_CONTROLLER_PORT", "TCPORTAL_POSTGRES_PORT");
  }

  @Test
  void takesHeapsPerServiceOrForAll() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of("TCPORTAL_SERVICE_HEAP", "192m", "TCPORTAL_PROCESSOR_HEAP", "384m"),
            CHECKOUT,
            null);

    assertThat(settings.gatewayHeap()).isEqualTo("192m");
    assertThat(settings.incidentsHeap()).isEqualTo("192m");
    assertThat(settings.processorHeap()).isEqualTo("384m");
    assertThat(settings.notifierHeap()).isEqualTo("192m");
  }

  @Test
  void findsTheCheckoutTheLauncherJarWasBuiltIn() {
    Path jar = Path.of("/builds/tcportal/deploy/local-stack/target/tcportal-local-stack.jar");

    assertThat(StackSettings.fromEnvironment(Map.of(), CHECKOUT, jar).repositoryRoot())
        .isEqualTo(Path.of("/builds/tcportal"));
    assertThat(
            StackSettings.fromEnvironment(Map.of("TCPORTAL_HOME", "/opt/tcportal"), CHECKOUT, jar)
                .repositoryRoot())
        .isEqualTo(Path.of("/opt/tcportal"));
    assertThat(
            StackSettings.fromEnvironment(Map.of(), CHECKOUT, Path.of("/tmp/copied.jar"))
                .repositoryRoot())
        .isEqualTo(CHECKOUT);
  }

  @Test
  void refusesAPortThatIsNotANumberNamingTheVariable() {
    assertThatThrownBy(
            () ->
                StackSettings.fromEnvironment(
                    Map.of("TCPORTAL_GATEWAY_PORT", "eighty"), CHECKOUT, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TCPORTAL_GATEWAY_PORT must be a whole number, got: eighty");
  }

  @Test
  void namesThePortsThatTwoVariablesShare() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of("TCPORTAL_GATEWAY_PORT", "18080", "TCPORTAL_PROCESSOR_PORT", "18080"),
            CHECKOUT,
            null);

    assertThat(settings.portsNamedTwice())
        .containsExactly("18080 (TCPORTAL_GATEWAY_PORT, TCPORTAL_PROCESSOR_PORT)");
    assertThat(StackSettings.fromEnvironment(Map.of(), CHECKOUT, null).portsNamedTwice()).isEmpty();
  }
}
