package io.patchloop.console;

import io.patchloop.common.FieldProblem;
import java.util.List;

/**
 * A form's problems as the API names them ({@code name}, {@code tags.zone}), for the page to show
 * all of them at the top and each beside its field; templates call {@code problems.of('name')}.
 */
public record FormProblems(List<FieldProblem> all) {

  static final FormProblems NONE = new FormProblems(List.of());

  public boolean isEmpty() {
    return all.isEmpty();
  }

  /** The reasons given for a field and the fields under it, joined; null when it has none. */
  public String of(String field) {
    List<String> reasons = all.stream()
        .filter(p -> p.field().equals(field) || p.field().startsWith(field + "."))
        .map(p -> p.field().equals(field) ? p.reason() : p.field() + ": " + p.reason())
        .toList();
    return reasons.isEmpty() ? null : String.join("; ", reasons);
  }
}
