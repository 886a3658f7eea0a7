package jp.tcportal.incidents.web;

import java.security.Principal;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Model values the layout of every page needs: who is signed in, and the page language. */
@ControllerAdvice(annotations = Controller.class)
class Layout {

  @ModelAttribute("viewer")
  Viewer viewer(Principal principal) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (principal == null || authentication == null) {
      return null;
    }
    boolean admin =
        authentication.getAuthorities().stream()
            .anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()));
    return new Viewer(principal.getName(), admin);
  }

  @ModelAttribute("lang")
  String lang() {
    return LocaleContextHolder.getLocale().getLanguage().equals("en") ? "en" : "ja";
  }

  /** The signed-in person, as the sidebar shows them. */
  public record Viewer(String name, boolean admin) {}
}
