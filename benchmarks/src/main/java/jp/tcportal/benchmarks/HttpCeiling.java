package jp.tcportal.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The bare HTTP ceiling: a Reactor Netty server (what WebFlux runs on) that reads the request body
 * and answers a fixed 200 of the gateway's size. Nothing a real endpoint does is cheaper than this.
 */
final class HttpCeiling implements AutoCloseable {

  private static final String ANSWER =
      "{\"ok\":true,\"monitor_id\":\"6f1c0f0e-3a4b-5c6d-8e9f-0a1b2c3d4e5f\","
          + "\"task_key\":\"bench-00000\",\"report_id\":\"0b7f9c8e-1d2c-4b3a-9f8e-7d6c5b4a3f2e\"}";

  private final DisposableServer server;

  HttpCeiling() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    response
                        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .sendString(request.receive().aggregate().then(Mono.just(ANSWER))))
            .bindNow();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
