package io.patchloop.baselines;

import io.patchloop.common.Problems;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One approval rule of a baseline. Each filter is a list of values or {@code ["ALL"]}. A matching
 * advisory is approved once {@code issued + approveAfterDays} is reached, or, instead, when it was
 * issued on or before {@code approveUntilDate}.
 */
public record ApprovalRule(
    List<String> products,
    List<String> categories,
    List<String> severities,
    Integer approveAfterDays,
    LocalDate approveUntilDate,
    ComplianceLevel complianceLevel) {

  public static final String ALL = "ALL";
  public static final int MAX_APPROVE_AFTER_DAYS = 360;
  /** Product names as hosts report them, e.g. "HCE 2.0", "CentOS 7", "openEuler 22.03". */
  static final Pattern PRODUCT = Pattern.compile("[A-Za-z][A-Za-z0-9 ._-]{0,63}");
  static final int MAX_PRODUCT_LENGTH = 64;
  /** Values of one filter: more products than any fleet runs, and every category or severity with room to spare. */
  public static final int MAX_FILTER_VALUES = 64;

  /** Upper-cases enum filters and turns an empty or missing filter into ["ALL"], so stored rules compare equal. */
  public ApprovalRule normalized() {
    return new ApprovalRule(
        normalize(products, false),
        normalize(categories, true),
        normalize(severities, true),
        approveAfterDays,
        approveUntilDate,
        complianceLevel);
  }

  public boolean allProducts() {
    return List.of(ALL).equals(products);
  }

  void validate(Problems problems) {
    checkFilter(problems, "products", products, null);
    checkFilter(problems, "categories", categories, PatchCategory.class);
    checkFilter(problems, "severities", severities, PatchSeverity.class);
    if ((approveAfterDays == null) == (approveUntilDate == null)) {
      problems.add("approveAfterDays", "give exactly one of approveAfterDays (0-" + MAX_APPROVE_AFTER_DAYS
          + ") or approveUntilDate (YYYY-MM-DD)");
    }
    problems.range("approveAfterDays", approveAfterDays, 0, MAX_APPROVE_AFTER_DAYS);
    problems.required("complianceLevel", complianceLevel);
  }

  private static void checkFilter(Problems problems, String field, List<String> values, Class<? extends Enum<?>> type) {
    if (values.contains(ALL)) {
      if (values.size() > 1) {
        problems.add(field, "ALL cannot be combined with other values");
      }
      return;
    }
    if (values.size() > MAX_FILTER_VALUES) {
      problems.add(field, "at most " + MAX_FILTER_VALUES + " values");
      return;
    }
    for (String v : values) {
      if (v.length() > MAX_PRODUCT_LENGTH) {
        problems.add(field, "values must be at most " + MAX_PRODUCT_LENGTH + " characters");
        continue;
      }
      boolean ok = type == null ? PRODUCT.matcher(v).matches() : isEnumName(type, v);
      if (!ok) {
        problems.add(field, type == null
            ? "'" + abbreviate(v) + "' is not a product name (for example \"HCE 2.0\" or \"CentOS 7\")"
            : "'" + abbreviate(v) + "' is not one of " + List.of(type.getEnumConstants()) + " or ALL");
      }
    }
  }

  private static boolean isEnumName(Class<? extends Enum<?>> type, String v) {
    for (Enum<?> e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> normalize(List<String> values, boolean upperCase) {
    if (values == null || values.isEmpty()) {
      return List.of(ALL);
    }
    var out = new LinkedHashSet<String>();
    for (String v : values) {
      if (v == null) {
        continue;
      }
      String s = v.strip();
      out.add(upperCase || s.equalsIgnoreCase(ALL) ? s.toUpperCase(Locale.ROOT) : s);
    }
    return out.isEmpty() ? List.of(ALL) : List.copyOf(new ArrayList<>(out));
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
