package jp.tcportal.incidents.web;

/** A request the client can fix (a bad filter, limit or cursor): answered with 400. */
public class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
