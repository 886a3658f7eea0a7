package jp.tcportal.incidents.account;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.security.core.GrantedAuthority;

/**
 * Maps an OpenID Connect user's claims to our roles: everyone who signs in at the configured issuer
 * is a viewer; a value listed in {@code admin-values} in one of the {@code role-claims} (Entra ID
 * app roles arrive in {@code roles}, group object ids in {@code groups}) makes an admin.
 */
final class OidcRoles {

  private final List<String> roleClaims;
  private final Set<String> adminValues;

  OidcRoles(IncidentsSettings.Oidc settings) {
    this.roleClaims = List.copyOf(settings.roleClaims());
    this.adminValues = Set.copyOf(settings.adminValues());
  }

  Role roleOf(Map<String, Object> claims) {
    for (String claim : roleClaims) {
      if (valuesOf(claims.get(claim)).stream().anyMatch(adminValues::contains)) {
        return Role.ADMIN;
      }
    }
    return Role.VIEWER;
  }

  Set<GrantedAuthority> authorities(
      Map<String, Object> claims, Collection<? extends GrantedAuthority> fromProvider) {
    Set<GrantedAuthority> authorities = new HashSet<>(fromProvider);
    authorities.addAll(roleOf(claims).authorities());
    return authorities;
  }

  private static Collection<String> valuesOf(Object claim) {
    if (claim instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    if (claim instanceof String value) {
      return List.of(value.split("[ ,]+"));
    }
    return List.of();
  }
}
