package jp.tcportal.incidents.account;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Viewers read; admins read and enable or disable monitors and manage local accounts. */
public enum Role {
  VIEWER,
  ADMIN;

  /** An admin is also a viewer, so every rule written for viewers holds for admins. */
  List<GrantedAuthority> authorities() {
    return this == ADMIN
        ? List.of(
            new SimpleGrantedAuthority("ROLE_VIEWER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
        : List.of(new SimpleGrantedAuthority("ROLE_VIEWER"));
  }
}
