package jp.tcportal.incidents.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UriComponentsBuilder;

/** Links that keep the viewer's filters: the same path and query with one parameter changed. */
public final class Links {

  private Links() {}

  /** The current request's query on {@code path}, with {@code name} set (or removed when null). */
  public static String withParam(
      HttpServletRequest request, String path, String name, String value) {
    UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
    if (request.getQueryString() != null) {
      builder.query(request.getQueryString());
    }
    builder.replaceQueryParam("lang");
    if (value == null) {
      builder.replaceQueryParam(name);
    } else {
      builder.replaceQueryParam(name, value);
    }
    return builder.build().toUriString();
  }
}
