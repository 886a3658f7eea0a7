package jp.tcportal.incidents.paging;

import jp.tcportal.incidents.IncidentsSettings;
import jp.tcportal.incidents.web.InvalidRequestException;

/** Resolves the {@code limit} a request asks for against the configured default and maximum. */
public final class PageLimit {

  private PageLimit() {}

  public static int resolve(Integer requested, IncidentsSettings settings) {
    if (requested == null) {
      return settings.pageSize();
    }
    if (requested < 1 || requested > settings.maxPageSize()) {
      throw new InvalidRequestException("limit must be between 1 and " + settings.maxPageSize());
    }
    return requested;
  }
}
