package io.patchloop.common;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects the problems of one input so the caller hears about all of them at once, not one per round trip.
 *
 * <p>Problems are kept by field path, so adding one costs the same however many came before (a 5000-row
 * import stays linear), and at most {@value #MAX_LISTED} are kept: past that a caller learns nothing new,
 * and a hostile input could otherwise make the answer as big as itself. A final entry under
 * {@value #MORE_FIELD} then says how many more were left out.
 */
public final class Problems {

  /** How many problems one answer lists at most. */
  public static final int MAX_LISTED = 1000;
  /** The field of the last entry when problems were left out. */
  public static final String MORE_FIELD = "more";

  /** What all the nested views of one input share. */
  private static final class Collected {
    final Map<String, FieldProblem> byPath = new LinkedHashMap<>();
    /** Problems of fields not listed, once the list was full (a repeat of one field may count twice). */
    long leftOut;
  }

  private final String prefix;
  private final Collected collected;

  public Problems() {
    this("", new Collected());
  }

  /** Goes on from problems found earlier, e.g. while parsing, so all are reported together. */
  public static Problems startingWith(List<FieldProblem> earlier) {
    Problems problems = new Problems();
    for (FieldProblem p : earlier) {
      if (MORE_FIELD.equals(p.field())) {
        problems.collected.leftOut += Math.max(1, leftOutIn(p));
      } else {
        problems.add(p.field(), p.reason());
      }
    }
    return problems;
  }

  private Problems(String prefix, Collected collected) {
    this.prefix = prefix;
    this.collected = collected;
  }

  /** Problems of a nested object land in the same list, under {@code prefix.field}. */
  public Problems nested(String path) {
    return new Problems(prefix + path + ".", collected);
  }

  /** One reason per field is enough: the first problem found for a field stands (a bad enum, not also "is required"). */
  public void add(String field, String reason) {
    String path = prefix + field;
    if (collected.byPath.containsKey(path)) {
      return;
    }
    if (collected.byPath.size() >= MAX_LISTED) {
      collected.leftOut++;
      return;
    }
    collected.byPath.put(path, new FieldProblem(path, reason));
  }

  public boolean required(String field, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /**
   * A string longer than {@code max} characters gets "must be at most N characters", never an echo
   * of the value; checked before a field's pattern, so this reason is the one that stands.
   *
   * @return whether the value (null counts) is within the limit
   */
  public boolean maxLength(String field, String value, int max) {
    if (value != null && value.length() > max) {
      add(field, "must be at most " + max + " characters");
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
    if (value.length() > maxLength) {
      add(field, "must be an http:// or https:// URL of at most " + maxLength + " characters");
      return;
    }
    try {
      URI u = URI.create(value);
      if (!List.of("http", "https").contains(String.valueOf(u.getScheme())) || u.getHost() == null) {
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

  /** The problems in the order found, and, if some were left out, a last entry under {@value #MORE_FIELD} saying how many. */
  public List<FieldProblem> list() {
    List<FieldProblem> out = new ArrayList<>(collected.byPath.values());
    if (collected.leftOut > 0) {
      out.add(new FieldProblem(MORE_FIELD, collected.leftOut + " more problem(s) left out; only the first "
          + MAX_LISTED + " are listed"));
    }
    return List.copyOf(out);
  }

  /** How many problems were found, the listed ones and those left out. */
  public long count() {
    return collected.byPath.size() + collected.leftOut;
  }

  public boolean isEmpty() {
    return collected.byPath.isEmpty() && collected.leftOut == 0;
  }

  public void throwIfAny(String title) {
    if (!isEmpty()) {
      throw new InvalidInputException(title, list());
    }
  }

  private static long leftOutIn(FieldProblem more) {
    String reason = more.reason();
    int space = reason.indexOf(' ');
    try {
      return space > 0 ? Long.parseLong(reason.substring(0, space)) : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
