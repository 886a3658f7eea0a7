package jp.tcportal.incidents.paging;

import java.util.List;

/**
 * One page of rows and the cursor of the next one ({@code null} on the last page).
 *
 * @param items the rows of this page
 * @param nextCursor pass as {@code before} to get the next page
 */
public record KeysetPage<T>(List<T> items, String nextCursor) {

  /** Builds a page from {@code limit + 1} fetched rows: the extra row only says "there is more". */
  public static <T> KeysetPage<T> of(
      List<T> fetched, int limit, java.util.function.Function<T, String> cursorOf) {
    if (fetched.size() <= limit) {
      return new KeysetPage<>(List.copyOf(fetched), null);
    }
    List<T> items = List.copyOf(fetched.subList(0, limit));
    return new KeysetPage<>(items, cursorOf.apply(items.get(limit - 1)));
  }
}
