package jp.tcportal.incidents.badge;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/incidents/badge} → {@code {"count": n}}. */
@RestController
class BadgeApiController {

  private final BadgeCounter counter;

  BadgeApiController(BadgeCounter counter) {
    this.counter = counter;
  }

  @GetMapping("/api/v1/incidents/badge")
  Badge badge() {
    return new Badge(counter.count());
  }

  record Badge(long count) {}
}
