package jp.tcportal.gateway.server;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.stereotype.Component;

/**
 * The extra plain-HTTP port ({@link PlainHttpSettings}): a second Netty server with the same
 * handler, hence the same endpoints, secret checks and actuator, and the same limits as the main
 * one (every server customizer of the application is applied), without TLS.
 */
@Component
class PlainHttpServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PlainHttpServer.class);

  private final Integer port;
  private final ObjectProvider<HttpHandler> handler;
  private final ObjectProvider<WebServerFactoryCustomizer<?>> factoryCustomizers;
  private final ObjectProvider<NettyServerCustomizer> serverCustomizers;
  private volatile WebServer server;

  PlainHttpServer(
      PlainHttpSettings settings,
      ObjectProvider<HttpHandler> handler,
      ObjectProvider<WebServerFactoryCustomizer<?>> factoryCustomizers,
      ObjectProvider<NettyServerCustomizer> serverCustomizers) {
    this.port = settings.plainHttpPort();
    this.handler = handler;
    this.factoryCustomizers = factoryCustomizers;
    this.serverCustomizers = serverCustomizers;
  }

  @Override
  public void start() {
    if (port == null) {
      return;
    }
    NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
    List<WebServerFactoryCustomizer<?>> customizers = factoryCustomizers.orderedStream().toList();
    // As Boot customises its own factory: server.netty.*, header sizes, idle timeout, address.
    LambdaSafe.callbacks(WebServerFactoryCustomizer.class, customizers, factory)
        .invoke(customizer -> customizer.customize(factory));
    factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
    factory.setPort(port);
    factory.setSsl(null);
    WebServer started = factory.getWebServer(handler.getObject());
    started.start();
    server = started;
    log.info("Plain HTTP also served on port {}", started.getPort());
  }

  @Override
  public void stop() {
    WebServer running = server;
    if (running != null) {
      running.stop();
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  /** The port actually bound (useful when configured as 0), or -1 when not running. */
  int port() {
    WebServer running = server;
    return running == null ? -1 : running.getPort();
  }
}
