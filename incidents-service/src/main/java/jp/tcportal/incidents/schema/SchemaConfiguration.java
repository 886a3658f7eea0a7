package jp.tcportal.incidents.schema;

import javax.sql.DataSource;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the service does not migrate ({@code tcportal.incidents.migrate=false}), JPA must not
 * validate before the owner has created the schema, so the entity manager factory depends on a bean
 * that waits for it. When it migrates, Spring Boot already runs Liquibase before JPA.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tcportal.incidents.migrate", havingValue = "false")
class SchemaConfiguration {

  static final String SCHEMA_READY = "schemaReady";

  @Bean(SCHEMA_READY)
  SchemaReadiness schemaReady(DataSource dataSource, IncidentsSettings settings) {
    SchemaReadiness readiness = new SchemaReadiness(dataSource, settings.schemaWait());
    readiness.awaitSchema();
    return readiness;
  }

  @Bean
  static EntityManagerFactoryDependsOnPostProcessor entityManagerFactoryWaitsForSchema() {
    return new EntityManagerFactoryDependsOnPostProcessor(SCHEMA_READY);
  }
}
