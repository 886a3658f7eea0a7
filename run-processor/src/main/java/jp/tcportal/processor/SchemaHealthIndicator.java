package jp.tcportal.processor;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code liquibase} in {@code /actuator/health}: which changesets of the shared changelog the
 * database has, so an operator sees at a glance that the schema the processor validated is there.
 */
@Component("liquibaseHealthIndicator")
class SchemaHealthIndicator implements HealthIndicator {

  private final JdbcTemplate jdbc;

  SchemaHealthIndicator(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Health health() {
    Map<String, Object> applied;
    try {
      applied =
          jdbc.queryForMap(
              """
            SELECT count(*) AS changesets,
                   (SELECT id FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1) AS latest,
                   max(dateexecuted) AS latest_at
            FROM databasechangelog
            """);
    } catch (RuntimeException e) {
      // An indicator that throws would fail the whole health response; report DOWN instead.
      return Health.down(e).build();
    }
    return Health.up()
        .withDetail("changesetsApplied", applied.get("changesets"))
        .withDetail("latestChangeset", String.valueOf(applied.get("latest")))
        .withDetail("latestAppliedAt", String.valueOf(applied.get("latest_at")))
        .build();
  }
}
