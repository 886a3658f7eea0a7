package jp.tcportal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.tcportal.schema.topic.Topics;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6's fault-injection suite. Each test builds its own topology (Kafka in its own JVMs,
 * PostgreSQL, the packaged processor and gateway), sends 100 reports a second with unique
 * idempotency keys, injects one kind of fault, and then holds the database to the promise: every
 * acknowledged report stored, none twice, nothing stored that no client sent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FaultInjectionIT {

  private static final ReliabilityReport REPORT =
      new ReliabilityReport(
          Path.of(System.getProperty("tcportal.reliability.report", "target/reliability.md")));

  @Test
  @Order(1)
  void processorKilledThreeTimesInTheMiddleOfABatchLosesAndDuplicatesNothing() throws Exception {
    try (Scenario scenario = Scenario.start("processor `kill -9` ×3", "processor-kill", 1)) {
      int killsInsideATransaction = 0;
      for (int kill = 1; kill <= 3; kill++) {
        // The first kill hits the steady flow; the next ones hit a fresh instance working through
        // the backlog its predecessor left, in full batches.
        if (scenario.database().awaitBatchTransaction(Duration.ofSeconds(120))) {
          killsInsideATransaction++;
        }
        scenario.topology().killProcessor();
        scenario.topology().startProcessor();
      }
      scenario.faultEnded();
      scenario.topology().awaitProcessorHealthy();
      assertHeld(
          scenario.finish(
              "killed inside an open batch transaction "
                  + killsInsideATransaction
                  + " of 3 times"));
    }
  }

  @Test
  @Order(2)
  void postgresStoppedAbruptlyForTwentySecondsLosesAndDuplicatesNothing() throws Exception {
    try (Scenario scenario =
        Scenario.start("PostgreSQL immediate stop, 20 s", "postgres-stop", 1)) {
      int acknowledgedBefore = scenario.ledger().acknowledgedKeys().size();
      scenario.topology().postgres().crash();
      // The gateway needs no database: it keeps acknowledging through the whole outage.
      await()
          .pollDelay(Duration.ofSeconds(20))
          .atMost(Duration.ofSeconds(25))
          .until(() -> scenario.ledger().acknowledgedKeys().size() > acknowledgedBefore + 500);
      scenario.topology().postgres().restart();
      scenario.faultEnded();
      assertHeld(
          scenario.finish(
              "immediate shutdown (SIGQUIT to the postmaster), restarted on the same data and port"));
    }
  }

  @Test
  @Order(3)
  void brokerKilledAndRestartedLosesAndDuplicatesNothing() throws Exception {
    try (Scenario scenario = Scenario.start("Kafka broker `kill -9`, 10 s", "broker-kill", 1)) {
      KafkaNode broker = scenario.topology().kafka().node(1);
      int retriedBefore = scenario.ledger().sawFailureKeys().size();
      broker.kill();
      // Without its only broker the gateway refuses (503) rather than acknowledge.
      await()
          .pollDelay(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(30))
          .until(() -> scenario.ledger().sawFailureKeys().size() > retriedBefore);
      broker.start();
      scenario.faultEnded();
      scenario.topology().kafka().awaitAllNodesUp(Duration.ofSeconds(120));
      assertHeld(scenario.finish("single KRaft node killed and restarted on the same log"));
    }
  }

  @Test
  @Order(4)
  void partitionLeaderKilledInAThreeBrokerClusterLosesAndDuplicatesNothing() throws Exception {
    try (Scenario scenario =
        Scenario.start("3 brokers: leader `kill -9`, 10 s", "leader-kill", 3)) {
      KafkaNode leader = scenario.topology().kafka().leaderOf(Topics.RUN_REPORTED.name(), 0);
      int acknowledgedBefore = scenario.ledger().acknowledgedKeys().size();
      leader.kill();
      // Two in-sync replicas of three are enough (min.insync.replicas 2): acks go on.
      await()
          .pollDelay(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(30))
          .until(() -> scenario.ledger().acknowledgedKeys().size() > acknowledgedBefore + 300);
      leader.start();
      scenario.faultEnded();
      scenario.topology().kafka().awaitAllNodesUp(Duration.ofSeconds(120));
      assertHeld(
          scenario.finish(
              "RF 3, min.insync.replicas 2; node "
                  + leader.nodeId()
                  + " led partition 0 and was restarted"));
    }
  }

  @Test
  @Order(5)
  void gatewayKilledUnderLoadLosesAndDuplicatesNothing() throws Exception {
    try (Scenario scenario = Scenario.start("gateway `kill -9`", "gateway-kill", 1)) {
      scenario.topology().killGateway();
      scenario.topology().startGateway();
      scenario.faultEnded();
      scenario.topology().awaitGatewayHealthy();
      assertHeld(scenario.finish("restarted at once on the same port; clients retry the same key"));
    }
  }

  /** Records the row, then fails the test on a broken promise. */
  private static void assertHeld(ScenarioResult result) {
    REPORT.add(result);
    assertThat(result.refused()).as("answers a client never retries (400, 401...)").isZero();
    assertThat(result.lost()).as("acknowledged but not stored").isZero();
    assertThat(result.duplicated()).as("stored more than once").isZero();
    assertThat(result.unexpected()).as("stored but never sent").isZero();
    assertThat(result.deadLettered()).as("dead-lettered").isZero();
    assertThat(result.acknowledged()).as("load that got through").isGreaterThan(1000);
  }
}
