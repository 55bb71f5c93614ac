package io.patchloop.common;

import java.util.List;
import java.util.function.Function;

/** One page of a listing, with the total so a client can page without guessing. */
public record PageResult<T>(List<T> items, int page, int size, long total) {

  public <R> PageResult<R> map(Function<T, R> mapper) {
    return new PageResult<>(items.stream().map(mapper).toList(), page, size, total);
  }
}
