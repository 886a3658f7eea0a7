package jp.tcportal.incidents;

import javax.sql.DataSource;
import jp.tcportal.testsupport.TestPostgres;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Fresh databases on the shared embedded PostgreSQL, wired into a Spring test context. */
public final class TestDatabases {

  private TestDatabases() {}

  /** A fresh empty database; the service migrates it at start-up (owner role). */
  public static String register(DynamicPropertyRegistry registry, String prefix) {
    String url = TestPostgres.newDatabase(prefix);
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> TestPostgres.USER);
    registry.add("spring.datasource.password", () -> TestPostgres.PASSWORD);
    return url;
  }

  public static DataSource dataSource(String url, String user, String password) {
    return new DriverManagerDataSource(url, user, password);
  }

  /** Applies the project's changelog as the owner, like the processor does at its start-up. */
  public static void migrate(String url) {
    SpringLiquibase liquibase = new SpringLiquibase();
    liquibase.setDataSource(dataSource(url, TestPostgres.USER, TestPostgres.PASSWORD));
    liquibase.setChangeLog("classpath:db/changelog/tcportal-changelog.yaml");
    liquibase.setResourceLoader(new DefaultResourceLoader());
    try {
      liquibase.afterPropertiesSet();
    } catch (Exception e) {
      throw new IllegalStateException("Migration failed", e);
    }
  }
}
