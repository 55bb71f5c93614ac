package io.patchloop.console;

import io.patchloop.common.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;

/**
 * What was wrong with a sent form, for its page: the message, every problem as the API names it
 * ({@code batch.size}, {@code email.recipients[1]}), and the reasons by field so each input can
 * show its own. A field's key is its API path without list indexes ({@code email.recipients}).
 */
record FormFeedback(String message, List<FieldProblem> list, Map<String, String> byField) {

  static FormFeedback none() {
    return new FormFeedback(null, List.of(), Map.of());
  }

  static FormFeedback of(String message, List<FieldProblem> problems) {
    Map<String, String> byField = new LinkedHashMap<>();
    for (FieldProblem p : problems) {
      String key = p.field().replaceAll("\\[\\d+]", "");
      String reason = key.equals(p.field()) ? p.reason() : p.field() + " " + p.reason();
      byField.merge(key, reason, (a, b) -> a + "; " + b);
    }
    return new FormFeedback(message, List.copyOf(problems), byField);
  }

  public boolean any() {
    return message != null;
  }

  /**
   * Values Spring could not even bind (a word in a number field), named by the API's path of the
   * form property ({@code paths}; a property not there keeps its own name).
   */
  static List<FieldProblem> binding(BindingResult binding, Map<String, String> paths) {
    List<FieldProblem> problems = new ArrayList<>();
    for (FieldError e : binding.getFieldErrors()) {
      problems.add(new FieldProblem(paths.getOrDefault(e.getField(), e.getField()),
          "'" + e.getRejectedValue() + "' is not a value this field can have"));
    }
    return problems;
  }
}
