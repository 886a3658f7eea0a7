package jp.tcportal.incidents;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the incidents service ({@code tcportal.incidents.*}).
 *
 * @param migrate apply the Liquibase changelog at start-up (owner role); when false, wait for it
 * @param schemaWait how long to wait for the schema when not migrating, before giving up
 * @param defaultZone time zone for viewers whose browser did not tell us theirs
 * @param pageSize rows per page when the request names no limit
 * @param maxPageSize the largest limit a request may ask for
 * @param adminPassword when set, the local account {@code admin} is created or updated with it
 * @param live server-sent events settings
 * @param oidc OpenID Connect login settings
 * @param session how long a signed-in session may last
 * @param login how many failed logins are tolerated before answering "try again later"
 * @param plainHttpPort an extra plain HTTP port; with TLS on it only redirects to HTTPS (health
 *     answers on it); unset = no extra port
 */
@ConfigurationProperties("tcportal.incidents")
public record IncidentsSettings(
    @DefaultValue("true") boolean migrate,
    @DefaultValue("5m") Duration schemaWait,
    @DefaultValue("Asia/Tokyo") ZoneId defaultZone,
    @DefaultValue("50") int pageSize,
    @DefaultValue("200") int maxPageSize,
    String adminPassword,
    @DefaultValue Live live,
    @DefaultValue Oidc oidc,
    @DefaultValue Session session,
    @DefaultValue Login login,
    Integer plainHttpPort) {

  /**
   * @param absoluteLifetime a session ends this long after its login, however active it is; an
   *     OpenID Connect user then signs in again at the issuer, which re-reads their roles
   */
  public record Session(@DefaultValue("12h") Duration absoluteLifetime) {}

  /**
   * @param window failures older than this are forgotten
   * @param maxFailuresPerAccount failures for one user name within the window before refusing
   * @param maxFailuresPerAddress failures from one client address within the window before refusing
   *     (higher: an office behind one NAT address shares it)
   * @param trackedKeys most user names and addresses remembered at once (least recently used go)
   */
  public record Login(
      @DefaultValue("15m") Duration window,
      @DefaultValue("5") int maxFailuresPerAccount,
      @DefaultValue("20") int maxFailuresPerAddress,
      @DefaultValue("10000") int trackedKeys) {}

  /**
   * @param pollInterval how often the change marker is read while someone is watching
   * @param heartbeat how often an idle stream gets a comment, so proxies keep it open
   * @param streamTimeout how long one stream lives before the browser reconnects
   */
  public record Live(
      @DefaultValue("2s") Duration pollInterval,
      @DefaultValue("25s") Duration heartbeat,
      @DefaultValue("30m") Duration streamTimeout) {}

  /**
   * @param issuerUri the issuer; OpenID Connect login is offered only when this is set
   * @param clientId the client (application) id registered at the issuer
   * @param clientSecret the client secret
   * @param displayName the label of the login button
   * @param roleClaims claims whose values are matched against {@code adminValues}
   * @param adminValues claim values (group ids, app roles) that make a user an admin
   * @param scopes requested scopes
   */
  public record Oidc(
      String issuerUri,
      String clientId,
      String clientSecret,
      @DefaultValue("Microsoft Entra ID") String displayName,
      @DefaultValue({"roles", "groups"}) List<String> roleClaims,
      @DefaultValue("TcPortal.Admin") List<String> adminValues,
      @DefaultValue({"openid", "profile", "email"}) List<String> scopes) {

    public boolean configured() {
      return issuerUri != null && !issuerUri.isBlank();
    }
  }
}
