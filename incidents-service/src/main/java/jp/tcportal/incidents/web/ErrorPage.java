package jp.tcportal.incidents.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors that happen outside our controllers (an unknown path, an exception in a filter): JSON in
 * the one error shape for the API and the event stream, a page for people.
 */
@Controller
class ErrorPage implements ErrorController {

  @RequestMapping(path = "/error", produces = "application/json")
  ResponseEntity<Map<String, String>> json(HttpServletRequest request) {
    HttpStatus status = statusOf(request);
    return ApiErrors.error(status, status.getReasonPhrase());
  }

  @RequestMapping("/error")
  ModelAndView page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HttpStatus status = statusOf(request);
    Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (path instanceof String uri && (uri.startsWith("/api/") || uri.equals("/events"))) {
      response.setStatus(status.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      // Reason phrases are plain words, safe to put between quotes as they are.
      response.getWriter().write("{\"error\":\"" + status.getReasonPhrase() + "\"}");
      return null;
    }
    return view(status, null);
  }

  static ModelAndView view(HttpStatus status, String detail) {
    ModelAndView view = new ModelAndView("error");
    view.setStatus(status);
    view.addObject("status", status.value());
    view.addObject("detail", detail);
    return view;
  }

  private static HttpStatus statusOf(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code instanceof Integer value) {
      HttpStatus status = HttpStatus.resolve(value);
      if (status != null) {
        return status;
      }
    }
    return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}
