package jp.tcportal.gateway.error;

import jp.tcportal.schema.event.EventJson;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers 415 with the error shape for a Content-Type that the framework's own parser cannot
 * survive. Spring 7.0 throws {@code StringIndexOutOfBoundsException} for {@code "/\} (found by
 * fuzzing) while it builds the exchange, before any filter or error handler runs, so Reactor Netty
 * logged an error and closed the connection without an answer. Wraps the whole HTTP handler, so it
 * runs before that.
 */
@Component
class UnreadableContentTypeGuard implements HttpHandlerDecoratorFactory {

  static final String MESSAGE = "Content-Type must be application/json";

  @Override
  public HttpHandler apply(HttpHandler handler) {
    return (request, response) -> {
      try {
        request.getHeaders().getContentType();
      } catch (InvalidMediaTypeException expected) {
        // The framework handles an ordinary invalid type itself; the endpoint answers 415.
      } catch (RuntimeException unreadable) {
        response.setStatusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] json = EventJson.mapper().writeValueAsBytes(new ErrorBody(MESSAGE));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
      }
      return handler.handle(request, response);
    };
  }
}
