package io.patchloop.baselines;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import io.patchloop.inventory.SafeValues;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** A patch baseline as the API takes it. */
public record BaselineSpec(
    String name,
    String description,
    Scenario scenario,
    OsFamily os,
    List<ApprovalRule> rules,
    List<String> approvedPatches,
    ComplianceLevel approvedPatchesComplianceLevel,
    List<String> rejectedPatches,
    RejectedPatchesAction rejectedPatchesAction,
    Boolean defaultForOs) {

  public static final int MAX_RULES = 10;
  public static final int MAX_PATCH_LIST = 1000;
  /** An advisory id or a rejected pattern; the stored column is as wide. */
  static final int MAX_PATCH_LENGTH = 128;

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");
  /** A rejected patch: an advisory id, or a package-name glob such as {@code kernel*} or {@code telnet}. */
  public static final Pattern REJECTED_PATTERN = Pattern.compile("[A-Za-z0-9_.*?+-][A-Za-z0-9_.*?:+-]{0,127}");

  /** Fills the defaults: UNSPECIFIED level for approved patches, ALLOW_AS_DEPENDENCY, not the default. */
  public BaselineSpec withDefaults() {
    return new BaselineSpec(
        name == null ? null : name.strip(),
        description,
        scenario == null ? Scenario.ECS : scenario,
        os,
        rules == null ? List.of() : rules.stream().map(r -> r == null ? null : r.normalized()).toList(),
        dedupe(approvedPatches),
        approvedPatchesComplianceLevel == null ? ComplianceLevel.UNSPECIFIED : approvedPatchesComplianceLevel,
        dedupe(rejectedPatches),
        rejectedPatchesAction == null ? RejectedPatchesAction.ALLOW_AS_DEPENDENCY : rejectedPatchesAction,
        defaultForOs != null && defaultForOs);
  }

  public Problems validate() {
    Problems problems = new Problems();
    problems.matches("name", name, NAME,
        "must be 1-128 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
    if (description != null && description.length() > 1024) {
      problems.add("description", "must be at most 1024 characters");
    }
    problems.required("os", os);
    if (rules.size() > MAX_RULES) {
      problems.add("rules", "at most " + MAX_RULES + " approval rules");
    }
    for (int i = 0; i < Math.min(rules.size(), MAX_RULES); i++) {
      if (rules.get(i) == null) {
        problems.add("rules[" + i + "]", "must be an object");
      } else {
        rules.get(i).validate(problems.nested("rules[" + i + "]"));
      }
    }
    checkList(problems, "approvedPatches", approvedPatches, SafeValues.ADVISORY_ID, "is not an advisory id");
    checkList(problems, "rejectedPatches", rejectedPatches, REJECTED_PATTERN,
        "is not an advisory id or a package-name glob");
    return problems;
  }

  /** Entries past {@link #MAX_PATCH_LIST} are not looked at: the list is refused as a whole already. */
  private static void checkList(Problems problems, String field, List<String> values, Pattern pattern, String rule) {
    if (values.size() > MAX_PATCH_LIST) {
      problems.add(field, "at most " + MAX_PATCH_LIST + " entries");
    }
    for (int i = 0; i < Math.min(values.size(), MAX_PATCH_LIST); i++) {
      String v = values.get(i);
      String entry = field + "[" + i + "]";
      if (v != null && v.length() > MAX_PATCH_LENGTH) {
        problems.add(entry, "must be at most " + MAX_PATCH_LENGTH + " characters");
      } else if (v == null || !pattern.matcher(v).matches()) {
        problems.add(entry, rule);
      }
    }
  }

  private static List<String> dedupe(List<String> values) {
    if (values == null) {
      return List.of();
    }
    var out = new LinkedHashSet<String>();
    for (String v : values) {
      out.add(v == null ? null : v.strip());
    }
    return new java.util.ArrayList<>(out);
  }
}
