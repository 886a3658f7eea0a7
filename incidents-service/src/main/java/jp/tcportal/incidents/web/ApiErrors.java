package jp.tcportal.incidents.web;

import java.util.Map;
import jp.tcportal.schema.schedule.InvalidScheduleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** The API's outcomes, mapped in one place to the one error shape {@code {"error": "..."}}. */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<Map<String, String>> invalid(InvalidRequestException e) {
    return error(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  /** A schedule setting out of range: the message names the field and the range. */
  @ExceptionHandler(InvalidScheduleException.class)
  ResponseEntity<Map<String, String>> invalidSchedule(InvalidScheduleException e) {
    return error(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
    return error(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Map<String, String>> mismatch(MethodArgumentTypeMismatchException e) {
    String what = "id".equals(e.getName()) ? "id must be a UUID" : e.getName() + " is invalid";
    return error(HttpStatus.BAD_REQUEST, what);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException e) {
    return error(HttpStatus.BAD_REQUEST, e.getParameterName() + " is required");
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
    return error(HttpStatus.BAD_REQUEST, "Request body must be JSON like {\"enabled\": false}");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
    return error(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
  }

  /** The browser closed an event stream or left mid-answer: nobody is there to answer. */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  void clientGone(AsyncRequestNotUsableException e) {
    log.debug("Client went away: {}", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, String>> unexpected(Exception e) {
    log.error("Unexpected API error", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error");
  }

  static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("error", message));
  }
}
