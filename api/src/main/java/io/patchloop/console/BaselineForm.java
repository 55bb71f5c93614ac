package io.patchloop.console;

import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's baseline form: every field as the person typed it, turned into the API's
 * {@link BaselineSpec}, which {@code BaselineStore} checks exactly as for {@code POST /api/v1/baselines}.
 * Only what a JSON body would already have typed (a number, a date, an enum name) is read here,
 * and a value that cannot be read is reported under the same field path the API uses
 * ({@code rules[0].approveAfterDays}), together with the spec's own problems.
 */
public class BaselineForm {

  private static final String PATCH_SEPARATOR = "[\\s,]+";

  private String name = "";
  private String description = "";
  private String os = "";
  private String scenario = Scenario.ECS.name();
  private boolean defaultForOs;
  private List<Rule> rules = new ArrayList<>();
  /** One advisory id a line (commas and spaces also separate). */
  private String approvedPatches = "";
  private String approvedPatchesComplianceLevel = ComplianceLevel.UNSPECIFIED.name();
  /** One advisory id or package-name glob a line. */
  private String rejectedPatches = "";
  private String rejectedPatchesAction = RejectedPatchesAction.ALLOW_AS_DEPENDENCY.name();

  /** A new baseline's form: one empty rule to fill in. */
  static BaselineForm blank() {
    BaselineForm form = new BaselineForm();
    form.rules.add(new Rule());
    return form;
  }

  /** A stored baseline, to edit. */
  static BaselineForm of(Baseline b) {
    BaselineForm form = new BaselineForm();
    form.name = b.name();
    form.description = b.description() == null ? "" : b.description();
    form.os = b.os().name();
    form.scenario = b.scenario().name();
    form.defaultForOs = b.defaultForOs();
    for (ApprovalRule r : b.rules()) {
      Rule rule = new Rule();
      rule.products = r.allProducts() ? "" : String.join(", ", r.products());
      rule.categories = withoutAll(r.categories());
      rule.severities = withoutAll(r.severities());
      rule.approveAfterDays = r.approveAfterDays() == null ? "" : r.approveAfterDays().toString();
      rule.approveUntilDate = r.approveUntilDate() == null ? "" : r.approveUntilDate().toString();
      rule.complianceLevel = r.complianceLevel() == null ? "" : r.complianceLevel().name();
      form.rules.add(rule);
    }
    form.approvedPatches = String.join("\n", b.approvedPatches());
    form.approvedPatchesComplianceLevel = b.approvedPatchesComplianceLevel().name();
    form.rejectedPatches = String.join("\n", b.rejectedPatches());
    form.rejectedPatchesAction = b.rejectedPatchesAction().name();
    return form;
  }

  /** "All" is shown as no box ticked: ticking none means all. */
  private static List<String> withoutAll(List<String> values) {
    return values.contains(ApprovalRule.ALL) ? new ArrayList<>() : new ArrayList<>(values);
  }

  /**
   * The spec the API would get. A value that cannot even be read (a date that is no date) throws
   * with every problem of the form, the spec's own validation included, so one round trip shows all.
   */
  BaselineSpec toSpec() {
    List<FieldProblem> unreadable = new ArrayList<>();
    List<ApprovalRule> specRules = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i) == null ? new Rule() : rules.get(i);
      String at = "rules[" + i + "].";
      specRules.add(new ApprovalRule(
          split(r.products, ","),
          r.categories,
          r.severities,
          integer(at + "approveAfterDays", r.approveAfterDays, unreadable),
          date(at + "approveUntilDate", r.approveUntilDate, unreadable),
          named(ComplianceLevel.class, at + "complianceLevel", r.complianceLevel, unreadable)));
    }
    BaselineSpec spec = new BaselineSpec(
        name,
        description == null || description.isBlank() ? null : description.strip(),
        named(Scenario.class, "scenario", scenario, unreadable),
        named(OsFamily.class, "os", os, unreadable),
        specRules,
        approvedList(),
        named(ComplianceLevel.class, "approvedPatchesComplianceLevel", approvedPatchesComplianceLevel, unreadable),
        rejectedList(),
        named(RejectedPatchesAction.class, "rejectedPatchesAction", rejectedPatchesAction, unreadable),
        defaultForOs);
    if (!unreadable.isEmpty()) {
      Map<String, FieldProblem> all = new LinkedHashMap<>();
      unreadable.forEach(p -> all.put(p.field(), p));
      // the spec's own rules too; an unreadable field's reason stands (the spec saw it as missing)
      spec.withDefaults().validate().list().forEach(p -> all.putIfAbsent(p.field(), p));
      throw new InvalidInputException("Invalid baseline", List.copyOf(all.values()));
    }
    return spec;
  }

  /**
   * The approved patches as the spec has them after its defaults (in order, each once), so the
   * index in a problem such as {@code approvedPatches[2]} names the entry.
   */
  List<String> approvedList() {
    return split(approvedPatches, PATCH_SEPARATOR).stream().distinct().toList();
  }

  List<String> rejectedList() {
    return split(rejectedPatches, PATCH_SEPARATOR).stream().distinct().toList();
  }

  private static List<String> split(String text, String separator) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.strip().split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Integer integer(String field, String value, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      problems.add(new FieldProblem(field, "must be a whole number of days (0-" + ApprovalRule.MAX_APPROVE_AFTER_DAYS + ")"));
      return null;
    }
  }

  private static LocalDate date(String field, String value, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      problems.add(new FieldProblem(field, "must be a date (YYYY-MM-DD)"));
      return null;
    }
  }

  private static <E extends Enum<E>> E named(Class<E> type, String field, String value, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, "must be one of " + Arrays.toString(type.getEnumConstants())));
      return null;
    }
  }

  /** One approval rule's row. Categories and severities are ticked boxes; none ticked means all. */
  public static class Rule {

    private String products = "";
    private List<String> categories = new ArrayList<>();
    private List<String> severities = new ArrayList<>();
    private String approveAfterDays = "";
    private String approveUntilDate = "";
    private String complianceLevel = ComplianceLevel.UNSPECIFIED.name();

    public String getProducts() {
      return products;
    }

    public void setProducts(String products) {
      this.products = products;
    }

    public List<String> getCategories() {
      return categories;
    }

    public void setCategories(List<String> categories) {
      this.categories = categories == null ? new ArrayList<>() : categories;
    }

    public List<String> getSeverities() {
      return severities;
    }

    public void setSeverities(List<String> severities) {
      this.severities = severities == null ? new ArrayList<>() : severities;
    }

    public String getApproveAfterDays() {
      return approveAfterDays;
    }

    public void setApproveAfterDays(String approveAfterDays) {
      this.approveAfterDays = approveAfterDays;
    }

    public String getApproveUntilDate() {
      return approveUntilDate;
    }

    public void setApproveUntilDate(String approveUntilDate) {
      this.approveUntilDate = approveUntilDate;
    }

    public String getComplianceLevel() {
      return complianceLevel;
    }

    public void setComplianceLevel(String complianceLevel) {
      this.complianceLevel = complianceLevel;
    }
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getOs() {
    return os;
  }

  public void setOs(String os) {
    this.os = os;
  }

  public String getScenario() {
    return scenario;
  }

  public void setScenario(String scenario) {
    this.scenario = scenario;
  }

  public boolean isDefaultForOs() {
    return defaultForOs;
  }

  public void setDefaultForOs(boolean defaultForOs) {
    this.defaultForOs = defaultForOs;
  }

  public List<Rule> getRules() {
    return rules;
  }

  public void setRules(List<Rule> rules) {
    this.rules = rules == null ? new ArrayList<>() : rules;
  }

  public String getApprovedPatches() {
    return approvedPatches;
  }

  public void setApprovedPatches(String approvedPatches) {
    this.approvedPatches = approvedPatches;
  }

  public String getApprovedPatchesComplianceLevel() {
    return approvedPatchesComplianceLevel;
  }

  public void setApprovedPatchesComplianceLevel(String approvedPatchesComplianceLevel) {
    this.approvedPatchesComplianceLevel = approvedPatchesComplianceLevel;
  }

  public String getRejectedPatches() {
    return rejectedPatches;
  }

  public void setRejectedPatches(String rejectedPatches) {
    this.rejectedPatches = rejectedPatches;
  }

  public String getRejectedPatchesAction() {
    return rejectedPatchesAction;
  }

  public void setRejectedPatchesAction(String rejectedPatchesAction) {
    this.rejectedPatchesAction = rejectedPatchesAction;
  }
}
