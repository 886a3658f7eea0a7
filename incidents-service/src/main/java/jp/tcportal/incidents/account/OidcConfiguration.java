package jp.tcportal.incidents.account;

import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * OpenID Connect login from {@code tcportal.incidents.oidc.issuer-uri}. The issuer's discovery
 * document supplies the endpoints. Spring's own {@code spring.security.oauth2.client.*} settings
 * work as well; this is the short form for the one-issuer case.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tcportal.incidents.oidc.issuer-uri")
class OidcConfiguration {

  static final String REGISTRATION_ID = "oidc";

  @Bean
  ClientRegistrationRepository clientRegistrationRepository(IncidentsSettings settings) {
    IncidentsSettings.Oidc oidc = settings.oidc();
    ClientRegistration registration =
        ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
            .registrationId(REGISTRATION_ID)
            .clientId(oidc.clientId())
            .clientSecret(oidc.clientSecret())
            .clientName(oidc.displayName())
            .scope(oidc.scopes())
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .build();
    return new InMemoryClientRegistrationRepository(registration);
  }
}
