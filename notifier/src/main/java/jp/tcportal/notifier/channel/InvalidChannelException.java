package jp.tcportal.notifier.channel;

/** A channel setting broke a rule; {@link #field()} names the field, for a 400 that says which. */
public final class InvalidChannelException extends RuntimeException {

  private final String field;

  InvalidChannelException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
