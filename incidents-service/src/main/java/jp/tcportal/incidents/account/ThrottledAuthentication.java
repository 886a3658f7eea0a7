package jp.tcportal.incidents.account;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Local-account login (the form and HTTP Basic) behind the {@link LoginThrottle}: a throttled name
 * or address is refused before the password is looked at, and a password bcrypt cannot read (over
 * 72 bytes) is an ordinary failed login instead of an exception.
 */
final class ThrottledAuthentication implements AuthenticationProvider {

  private final AuthenticationProvider passwords;
  private final LoginThrottle throttle;

  ThrottledAuthentication(AuthenticationProvider passwords, LoginThrottle throttle) {
    this.passwords = passwords;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String username = authentication.getName();
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails details
            ? details.getRemoteAddress()
            : null;
    if (throttle.blocked(username, address)) {
      throw new LoginThrottledException();
    }
    Object credentials = authentication.getCredentials();
    if (credentials instanceof String password && LocalAccounts.tooLongForBcrypt(password)) {
      throttle.failed(username, address);
      throw new BadCredentialsException("Bad credentials");
    }
    try {
      Authentication result = passwords.authenticate(authentication);
      throttle.succeeded(username);
      return result;
    } catch (AuthenticationException e) {
      throttle.failed(username, address);
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  /** Too many recent failures for this name or address: try again later. */
  static final class LoginThrottledException extends AuthenticationException {
    private static final long serialVersionUID = 1L;

    LoginThrottledException() {
      super("Too many failed logins; try again later");
    }
  }
}
