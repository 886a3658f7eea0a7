package jp.tcportal.incidents.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import jp.tcportal.incidents.IncidentsSettings;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;

/** Entra ID sends app roles in "roles" and group ids in "groups"; either can make an admin. */
class OidcRolesTest {

  final OidcRoles roles =
      new OidcRoles(
          new IncidentsSettings.Oidc(
              "https://login.microsoftonline.com/tenant/v2.0",
              "client",
              "secret",
              "Microsoft Entra ID",
              List.of("roles", "groups"),
              List.of("TcPortal.Admin", "0b5c3d1e-ops-admins"),
              List.of("openid")));

  @Test
  void appRoleMakesAnAdmin() {
    assertThat(roles.roleOf(Map.of("roles", List.of("TcPortal.Admin")))).isEqualTo(Role.ADMIN);
  }

  @Test
  void groupIdMakesAnAdmin() {
    assertThat(roles.roleOf(Map.of("groups", List.of("x", "0b5c3d1e-ops-admins"))))
        .isEqualTo(Role.ADMIN);
  }

  @Test
  void everyoneElseSignedInAtTheIssuerIsAViewer() {
    assertThat(roles.roleOf(Map.of("roles", List.of("Reader")))).isEqualTo(Role.VIEWER);
    assertThat(roles.roleOf(Map.of())).isEqualTo(Role.VIEWER);
  }

  @Test
  void adminsAreViewersToo() {
    assertThat(
            roles.authorities(Map.of("roles", "TcPortal.Admin"), List.of()).stream()
                .map(GrantedAuthority::getAuthority))
        .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_ADMIN");
  }
}
