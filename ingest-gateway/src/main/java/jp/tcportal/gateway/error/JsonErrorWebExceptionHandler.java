package jp.tcportal.gateway.error;

import jp.tcportal.schema.event.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers every failure the endpoints did not answer themselves (unknown path, wrong method,
 * unexpected exceptions) with the error shape, so no stack trace or framework page leaves the
 * service. Runs before Boot's own error handler (order -1).
 */
@Component
@Order(-2)
class JsonErrorWebExceptionHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(JsonErrorWebExceptionHandler.class);

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(failure);
    }
    HttpStatusCode status;
    if (failure instanceof ResponseStatusException statusFailure) {
      status = statusFailure.getStatusCode();
      // Keeps headers such as Allow (405) and Accept (415) that tell the client what would work.
      response.getHeaders().putAll(statusFailure.getHeaders());
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    if (status.is5xxServerError()) {
      log.error(
          "{} {} failed",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath().value(),
          failure);
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] json = EventJson.mapper().writeValueAsBytes(new ErrorBody(messageFor(status)));
    DataBuffer buffer = response.bufferFactory().wrap(json);
    return response.writeWith(Mono.just(buffer));
  }

  /** A fixed sentence per status: an exception's own text may name internals. */
  static String messageFor(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> "Bad request";
      case 401 -> "Invalid or missing secret";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 406 -> "Not acceptable: the API answers application/json";
      case 413 -> "Request body is too large";
      case 415 -> "Content-Type must be application/json";
      case 503 -> "Service unavailable, retry later";
      default -> status.is5xxServerError() ? "Internal server error" : "Request failed";
    };
  }
}
