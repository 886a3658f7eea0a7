package jp.tcportal.incidents.badge;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /events}: the server-sent event stream the pages listen to. */
@RestController
class LiveUpdatesController {

  private final LiveUpdates updates;

  LiveUpdatesController(LiveUpdates updates) {
    this.updates = updates;
  }

  @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events() {
    return updates.open();
  }
}
