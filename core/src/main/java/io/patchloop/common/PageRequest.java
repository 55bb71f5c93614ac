package io.patchloop.common;

import java.util.List;

/** Zero-based page number and page size, checked once here so every listing pages the same way. */
public record PageRequest(int page, int size) {

  public static final int MAX_SIZE = 500;

  public static PageRequest of(Integer page, Integer size) {
    int p = page == null ? 0 : page;
    int s = size == null ? 50 : size;
    var errors = new java.util.ArrayList<FieldProblem>();
    if (p < 0) {
      errors.add(new FieldProblem("page", "must be 0 or more"));
    }
    if (s < 1 || s > MAX_SIZE) {
      errors.add(new FieldProblem("size", "must be between 1 and " + MAX_SIZE));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("Invalid paging parameters", List.copyOf(errors));
    }
    return new PageRequest(p, s);
  }

  public long offset() {
    return (long) page * size;
  }
}
