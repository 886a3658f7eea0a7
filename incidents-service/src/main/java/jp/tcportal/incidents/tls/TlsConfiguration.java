package jp.tcportal.incidents.tls;

import java.net.InetAddress;
import jp.tcportal.incidents.IncidentsSettings;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

/**
 * {@code tcportal.incidents.plain-http-port}: a second Tomcat connector for plain HTTP beside
 * {@code server.port}. With TLS on ({@code server.ssl.bundle}), {@code server.port} is the HTTPS
 * port and the plain one redirects there, except the health endpoints, which launchers and probes
 * read without trusting the CA. Without TLS both ports serve everything, as before.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tcportal.incidents.plain-http-port")
class TlsConfiguration {

  private final HttpsRedirect redirect = new HttpsRedirect();

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> plainHttpConnector(
      IncidentsSettings settings) {
    return factory -> {
      Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
      connector.setPort(settings.plainHttpPort());
      InetAddress address = factory.getAddress();
      if (address != null) {
        // server.address binds the main connector only; the extra one must follow it.
        connector.setProperty("address", address.getHostAddress());
      }
      factory.addAdditionalConnectors(connector);
    };
  }

  @Bean
  FilterRegistrationBean<HttpsRedirect> httpsRedirect(ServerProperties server) {
    redirect.enable(Ssl.isEnabled(server.getSsl()));
    FilterRegistrationBean<HttpsRedirect> registration = new FilterRegistrationBean<>(redirect);
    // Before Spring Security: a page asked for over HTTP goes to HTTPS, not to an HTTP login form.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** The HTTPS port is known only once Tomcat is listening (server.port=0 picks one). */
  @EventListener
  void httpsPortKnown(ServletWebServerInitializedEvent event) {
    redirect.httpsPort(event.getWebServer().getPort());
  }
}
