package jp.tcportal.gateway.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An extra plain-HTTP port beside {@code server.port}, bound beside {@code GatewaySettings} under
 * the same prefix.
 *
 * @param plainHttpPort when set, the gateway also serves every endpoint over plain HTTP on this
 *     port ({@code TCPORTAL_GATEWAY_PLAIN_HTTP_PORT}), so PCs that do not trust the CA yet can
 *     still report while {@code server.port} serves HTTPS; unset means no extra port, 0 a free one
 */
@ConfigurationProperties("tcportal.gateway")
public record PlainHttpSettings(Integer plainHttpPort) {

  public PlainHttpSettings {
    if (plainHttpPort != null && (plainHttpPort < 0 || plainHttpPort > 65535)) {
      throw new IllegalStateException(
          "tcportal.gateway.plain-http-port must be a port number, not " + plainHttpPort);
    }
  }
}
