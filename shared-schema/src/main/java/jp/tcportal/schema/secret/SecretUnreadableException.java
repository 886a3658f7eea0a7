package jp.tcportal.schema.secret;

/** A sealed value did not open: wrong key, wrong context, altered, or an unknown format. */
public final class SecretUnreadableException extends RuntimeException {

  SecretUnreadableException(String message) {
    super(message);
  }
}
