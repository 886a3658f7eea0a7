package jp.tcportal.incidents.account;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import jp.tcportal.incidents.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With an issuer configured, the login page offers it and the button starts the authorization code
 * flow. A local HTTP server plays the issuer's discovery document.
 */
@SpringBootTest(
    properties = {
      "tcportal.incidents.oidc.client-id=tc-portal-client",
      "tcportal.incidents.oidc.client-secret=s3cret"
    })
@AutoConfigureMockMvc
class OidcLoginTest {

  static HttpServer issuer;

  @DynamicPropertySource
  static void issuerAndDatabase(DynamicPropertyRegistry registry) throws IOException {
    TestDatabases.register(registry, "oidc");
    issuer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    String base = "http://localhost:" + issuer.getAddress().getPort() + "/tenant/v2.0";
    String discovery =
        """
        {"issuer": "%1$s",
         "authorization_endpoint": "%1$s/authorize",
         "token_endpoint": "%1$s/token",
         "jwks_uri": "%1$s/keys",
         "userinfo_endpoint": "%1$s/userinfo",
         "response_types_supported": ["code"],
         "subject_types_supported": ["public"],
         "id_token_signing_alg_values_supported": ["RS256"],
         "scopes_supported": ["openid", "profile", "email"]}
        """
            .formatted(base);
    issuer.createContext(
        "/tenant/v2.0/.well-known/openid-configuration",
        exchange -> {
          byte[] body = discovery.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    issuer.start();
    registry.add("tcportal.incidents.oidc.issuer-uri", () -> base);
  }

  @AfterAll
  static void stopIssuer() {
    issuer.stop(0);
  }

  @Autowired MockMvc mvc;

  @Test
  void loginPageOffersTheIssuer() throws Exception {
    mvc.perform(get("/login"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("Microsoft Entra ID でログイン")))
        .andExpect(content().string(containsString("href=\"/oauth2/authorization/oidc\"")));
  }

  @Test
  void issuerButtonStartsTheAuthorizationCodeFlow() throws Exception {
    mvc.perform(get("/oauth2/authorization/oidc"))
        .andExpect(status().isFound())
        .andExpect(
            header()
                .string(
                    "Location",
                    startsWith(
                        "http://localhost:"
                            + issuer.getAddress().getPort()
                            + "/tenant/v2.0/authorize")))
        .andExpect(header().string("Location", containsString("client_id=tc-portal-client")))
        .andExpect(header().string("Location", containsString("scope=openid%20profile%20email")));
  }

  @Test
  void localAccountsStillWork() throws Exception {
    mvc.perform(get("/incidents")).andExpect(status().isFound());
    mvc.perform(get("/login")).andExpect(content().string(containsString("id=\"username\"")));
  }
}
