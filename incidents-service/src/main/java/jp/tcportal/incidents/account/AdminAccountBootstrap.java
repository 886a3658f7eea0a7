package jp.tcportal.incidents.account;

import jp.tcportal.incidents.IncidentsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * {@code TC_PORTAL_ADMIN_PASSWORD}, when set, creates or updates the local account {@code admin}.
 */
@Component
class AdminAccountBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(AdminAccountBootstrap.class);

  private final LocalAccounts accounts;
  private final IncidentsSettings settings;

  AdminAccountBootstrap(LocalAccounts accounts, IncidentsSettings settings) {
    this.accounts = accounts;
    this.settings = settings;
  }

  @Override
  public void run(ApplicationArguments args) {
    String password = settings.adminPassword();
    if (password == null || password.isBlank()) {
      return;
    }
    if (accounts.saveFromOperator(LocalAccounts.ADMIN_USERNAME, password, Role.ADMIN)) {
      log.info(
          "Local admin account '{}' set from TC_PORTAL_ADMIN_PASSWORD",
          LocalAccounts.ADMIN_USERNAME);
    }
  }
}
