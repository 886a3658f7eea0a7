package jp.tcportal.incidents.web;

import java.security.Principal;
import jp.tcportal.incidents.badge.BadgeCounter;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Model values the layout of every page needs: who is signed in, and the page language. */
@ControllerAdvice(annotations = Controller.class)
class Layout {

  private final Times times;
  private final BadgeCounter badgeCounter;

  Layout(Times times, BadgeCounter badgeCounter) {
    this.times = times;
    this.badgeCounter = badgeCounter;
  }

  @ModelAttribute("times")
  Times times() {
    return times;
  }

  /** Counted only when a template shows the badge, so JSON answers do not pay for it. */
  @ModelAttribute("badge")
  LazyBadge badge() {
    return new LazyBadge(badgeCounter);
  }

  @ModelAttribute("zone")
  String zone() {
    return times.zone().getId();
  }

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

  /** The sidebar badge's count, read at most once per page. */
  public static final class LazyBadge {
    private final BadgeCounter counter;
    private Long count;

    LazyBadge(BadgeCounter counter) {
      this.counter = counter;
    }

    public long getCount() {
      if (count == null) {
        count = counter.count();
      }
      return count;
    }
  }

  /** The signed-in person, as the sidebar shows them. */
  public record Viewer(String name, boolean admin) {}
}
