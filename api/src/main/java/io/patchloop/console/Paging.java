package io.patchloop.console;

import io.patchloop.common.PageResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where a paged list is ("51–100 of 173") and the links to the pages before and after, which keep
 * the request's own filters.
 */
record Paging(int page, long first, long last, long total, String previousLink, String nextLink) {

  static Paging of(PageResult<?> result) {
    long first = result.total() == 0 ? 0 : (long) result.page() * result.size() + 1;
    long last = (long) result.page() * result.size() + result.items().size();
    return new Paging(result.page(), first, last, result.total(),
        result.page() > 0 ? link(result.page() - 1) : null, last < result.total() ? link(result.page() + 1) : null);
  }

  private static String link(int page) {
    // the current request's own query string, already encoded, with only the page replaced
    var uri = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page).build();
    return uri.getPath() + "?" + uri.getQuery();
  }
}
