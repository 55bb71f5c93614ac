package io.patchloop.common;

import java.util.List;

/** Input that breaks a rule of the domain; the API answers 400 and lists every problem. */
public class InvalidInputException extends RuntimeException {

  private final List<FieldProblem> problems;

  public InvalidInputException(String message, List<FieldProblem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  public InvalidInputException(String field, String reason) {
    this(field + " " + reason, List.of(new FieldProblem(field, reason)));
  }

  public List<FieldProblem> problems() {
    return problems;
  }
}
