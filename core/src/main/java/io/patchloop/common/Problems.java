package io.patchloop.common;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the problems of one input so the caller hears about all of them at once, not one per round trip. */
public final class Problems {

  private final String prefix;
  private final List<FieldProblem> problems;

  public Problems() {
    this("", new ArrayList<>());
  }

  /** Goes on from problems found earlier, e.g. while parsing, so all are reported together. */
  public static Problems startingWith(List<FieldProblem> earlier) {
    return new Problems("", new ArrayList<>(earlier));
  }

  private Problems(String prefix, List<FieldProblem> problems) {
    this.prefix = prefix;
    this.problems = problems;
  }

  /** Problems of a nested object land in the same list, under {@code prefix.field}. */
  public Problems nested(String path) {
    return new Problems(prefix + path + ".", problems);
  }

  /** One reason per field is enough: the first problem found for a field stands (a bad enum, not also "is required"). */
  public void add(String field, String reason) {
    String path = prefix + field;
    if (problems.stream().noneMatch(p -> p.field().equals(path))) {
      problems.add(new FieldProblem(path, reason));
    }
  }

  public boolean required(String field, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /** Checks a required string against a pattern; the reason names the rule, never echoes a hostile value at length. */
  public void matches(String field, String value, Pattern pattern, String rule) {
    if (required(field, value) && !pattern.matcher(value).matches()) {
      add(field, rule);
    }
  }

  /** A required http:// or https:// URL with a host; {@code maxLength} {@link Integer#MAX_VALUE} for no limit. */
  public void httpUrl(String field, String value, int maxLength) {
    if (!required(field, value)) {
      return;
    }
    try {
      URI u = URI.create(value);
      if (!List.of("http", "https").contains(String.valueOf(u.getScheme())) || u.getHost() == null
          || value.length() > maxLength) {
        add(field, "must be an http:// or https:// URL"
            + (maxLength == Integer.MAX_VALUE ? "" : " of at most " + maxLength + " characters"));
      }
    } catch (IllegalArgumentException e) {
      add(field, "is not a URL");
    }
  }

  public void range(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(field, "must be between " + min + " and " + max);
    }
  }

  public List<FieldProblem> list() {
    return List.copyOf(problems);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public void throwIfAny(String title) {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(title, problems);
    }
  }
}
