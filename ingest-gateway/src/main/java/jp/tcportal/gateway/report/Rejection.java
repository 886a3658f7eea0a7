package jp.tcportal.gateway.report;

import org.springframework.http.HttpStatus;

/** Every way a report can be refused, with its HTTP status and its metric tag. */
enum Rejection {
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized"),
  INVALID(HttpStatus.BAD_REQUEST, "invalid"),
  TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "too_large"),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
  IDEMPOTENCY_CONFLICT(HttpStatus.CONFLICT, "idempotency_conflict"),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate_limited"),
  UNPROCESSABLE(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable"),
  UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "unavailable"),
  NOT_QUEUED(HttpStatus.INTERNAL_SERVER_ERROR, "not_queued");

  private final HttpStatus status;
  private final String reason;

  Rejection(HttpStatus status, String reason) {
    this.status = status;
    this.reason = reason;
  }

  HttpStatus status() {
    return status;
  }

  /** The {@code reason} tag of {@code tcportal.reports.rejected}. */
  String reason() {
    return reason;
  }
}
