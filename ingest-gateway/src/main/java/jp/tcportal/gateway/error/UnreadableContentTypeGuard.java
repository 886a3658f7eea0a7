package jp.tcportal.gateway.error;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Keeps a Content-Type that the framework's own parser cannot survive from failing the request.
 * Spring 7.0 throws {@code StringIndexOutOfBoundsException} for {@code "/\} (found by fuzzing)
 * while it builds the exchange, before any filter or error handler runs, so Reactor Netty logged an
 * error and closed the connection without an answer. Wraps the whole HTTP handler, so it runs
 * before that, and replaces such a header by {@code application/octet-stream}: the report endpoint
 * reads any body as JSON whatever its type (the spec's route did), so the request is answered like
 * any other, 200 for a valid report and 400 for a body that is not one.
 */
@Component
class UnreadableContentTypeGuard implements HttpHandlerDecoratorFactory {

  @Override
  public HttpHandler apply(HttpHandler handler) {
    return (request, response) -> {
      try {
        request.getHeaders().getContentType();
      } catch (InvalidMediaTypeException expected) {
        // The framework handles an ordinary invalid type itself; the endpoint reads the body.
      } catch (RuntimeException unreadable) {
        ServerHttpRequest readable =
            request
                .mutate()
                .headers(
                    headers -> headers.set(HttpHeaders.CONTENT_TYPE, UNREADABLE_TYPE_REPLACEMENT))
                .build();
        return handler.handle(readable, response);
      }
      return handler.handle(request, response);
    };
  }

  static final String UNREADABLE_TYPE_REPLACEMENT = MediaType.APPLICATION_OCTET_STREAM_VALUE;
}
