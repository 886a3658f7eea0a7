package jp.tcportal.incidents.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import jp.tcportal.incidents.TestDatabases;
import jp.tcportal.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/** Without migrating, the service waits (bounded) for the owner to create the schema. */
class SchemaReadinessTest {

  @Test
  void givesUpWithTheMissingChangesetsNamedWhenTheSchemaNeverCame() {
    String url = TestPostgres.newDatabase("schema_missing");
    SchemaReadiness readiness = new SchemaReadiness(dataSource(url), Duration.ZERO);

    assertThatThrownBy(readiness::awaitSchema)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("001-spec-tables")
        .hasMessageContaining("004-local-accounts")
        .hasMessageContaining("007-monitor-schedule-settings");
  }

  @Test
  void returnsOnceTheOwnerHasMigrated() {
    String url = TestPostgres.newDatabase("schema_late");
    SchemaReadiness readiness = new SchemaReadiness(dataSource(url), Duration.ofSeconds(60));
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(readiness::awaitSchema);

    assertThat(waiting).isNotDone();
    TestDatabases.migrate(url);

    await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
    assertThat(waiting).isCompleted();
    assertThat(readiness.missingChangesets()).isEmpty();
  }

  private static DataSource dataSource(String url) {
    return TestDatabases.dataSource(url, TestPostgres.USER, TestPostgres.PASSWORD);
  }
}
