package jp.tcportal.notifier.delivery;

/** A record that is not a usable status event; it goes to the dead-letter topic, never retried. */
final class UnreadableEventException extends RuntimeException {

  UnreadableEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
