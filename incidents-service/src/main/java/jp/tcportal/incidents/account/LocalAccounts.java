package jp.tcportal.incidents.account;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Local accounts: looked up at login, created or changed by the admin page and at start-up. */
@Service
class LocalAccounts implements UserDetailsService {

  static final String ADMIN_USERNAME = "admin";
  static final int MIN_PASSWORD_LENGTH = 12;

  /** bcrypt reads at most 72 bytes; Spring's encoder refuses longer ones rather than cut them. */
  static final int MAX_PASSWORD_BYTES = 72;

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Logger log = LoggerFactory.getLogger(LocalAccounts.class);

  private final LocalAccountRepository repository;
  private final PasswordEncoder passwordEncoder;

  LocalAccounts(LocalAccountRepository repository, PasswordEncoder passwordEncoder) {
    this.repository = repository;
    this.passwordEncoder = passwordEncoder;
  }

  @Override
  @Transactional(readOnly = true)
  public UserDetails loadUserByUsername(String username) {
    LocalAccount account =
        repository.findById(username).orElseThrow(() -> new UsernameNotFoundException(username));
    return new LocalUser(account);
  }

  /** The account's current stamp ({@link LocalUser#stampOf}), empty once it is deleted. */
  @Transactional(readOnly = true)
  Optional<String> currentStamp(String username) {
    return repository.findById(username).map(LocalUser::stampOf);
  }

  static boolean tooLongForBcrypt(String password) {
    return password != null
        && password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
  }

  @Transactional(readOnly = true)
  List<LocalAccount> all() {
    return repository.findAllByOrderByUsername();
  }

  /**
   * Creates the account or sets its password and role. Returns whether anything changed: an
   * unchanged password is not re-hashed, so restarting with the same admin password writes nothing.
   */
  @Transactional
  boolean save(String username, String password, Role role) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw new InvalidAccountException("account.passwordTooShort");
    }
    if (tooLongForBcrypt(password)) {
      throw new InvalidAccountException("account.passwordTooLong");
    }
    return saveChecked(username, password, role);
  }

  /**
   * For the operator's own {@code TC_PORTAL_ADMIN_PASSWORD}: a short one is warned about, not
   * refused, so a local stack with a simple password still starts.
   */
  @Transactional
  boolean saveFromOperator(String username, String password, Role role) {
    if (password.length() < MIN_PASSWORD_LENGTH) {
      log.warn("The password of {} is shorter than {} characters", username, MIN_PASSWORD_LENGTH);
    }
    if (tooLongForBcrypt(password)) {
      // Refused rather than cut: bcrypt would silently ignore everything after byte 72.
      throw new IllegalStateException(
          "The password of "
              + username
              + " is longer than "
              + MAX_PASSWORD_BYTES
              + " bytes (UTF-8), which bcrypt cannot hash; choose a shorter one");
    }
    return saveChecked(username, password, role);
  }

  private boolean saveChecked(String username, String password, Role role) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new InvalidAccountException("account.invalidUsername");
    }
    var existing = repository.findById(username);
    if (existing.isEmpty()) {
      repository.save(new LocalAccount(username, passwordEncoder.encode(password), role));
      log.info("Local account {} created with role {}", username, role);
      return true;
    }
    LocalAccount account = existing.get();
    if (account.getRole() == role
        && account.isEnabled()
        && passwordEncoder.matches(password, account.getPasswordHash())) {
      return false;
    }
    account.change(passwordEncoder.encode(password), role);
    log.info("Local account {} updated (role {})", username, role);
    return true;
  }

  @Transactional
  void delete(String username) {
    repository.deleteById(username);
    log.info("Local account {} deleted", username);
  }

  /** A form value the admin can fix; the message key says what. */
  static class InvalidAccountException extends RuntimeException {
    InvalidAccountException(String messageKey) {
      super(messageKey);
    }
  }
}
