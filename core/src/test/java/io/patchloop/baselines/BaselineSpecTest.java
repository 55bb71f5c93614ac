package io.patchloop.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.FieldProblem;
import io.patchloop.common.OsFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A baseline's lists are bounded, and past their bound no entry is looked at (review M8). */
class BaselineSpecTest {

  static BaselineSpec withLists(List<String> approved, List<String> rejected) {
    return new BaselineSpec("b", null, null, OsFamily.HCE, null, approved, null, rejected, null, null).withDefaults();
  }

  @Test
  void anOverlongPatchListIsOneProblemNotOnePerEntry() {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      bad.add("bad advisory " + i);
    }
    List<FieldProblem> problems = withLists(bad, List.of()).validate().list();
    assertThat(problems.get(0)).isEqualTo(new FieldProblem("approvedPatches", "at most 1000 entries"));
    // only the first MAX_PATCH_LIST entries are looked at, and the answer lists at most 1000 problems
    assertThat(problems).hasSizeLessThanOrEqualTo(1001);
    assertThat(problems).noneMatch(p -> p.field().equals("approvedPatches[1000]"));
  }

  @Test
  void aTooLongEntryIsNamedByTheMaximum() {
    var problems = withLists(List.of("A".repeat(5000)), List.of("kernel*", "k".repeat(129))).validate().list();
    assertThat(problems).containsExactly(
        new FieldProblem("approvedPatches[0]", "must be at most 128 characters"),
        new FieldProblem("rejectedPatches[1]", "must be at most 128 characters"));
  }

  @Test
  void aRuleHasAtMostSixtyFourValuesPerFilterOfAtMostSixtyFourCharacters() {
    List<String> products = new ArrayList<>(Collections.nCopies(65, "HCE 2.0"));
    for (int i = 0; i < products.size(); i++) {
      products.set(i, "HCE " + i);
    }
    var rule = new ApprovalRule(products, null, null, 7, null, ComplianceLevel.HIGH);
    var spec = new BaselineSpec("b", null, null, OsFamily.HCE, List.of(rule), null, null, null, null, null).withDefaults();
    assertThat(spec.validate().list()).containsExactly(new FieldProblem("rules[0].products", "at most 64 values"));

    var longProduct = new ApprovalRule(List.of("H".repeat(10_000)), null, null, 7, null, ComplianceLevel.HIGH);
    var spec2 = new BaselineSpec("b", null, null, OsFamily.HCE, List.of(longProduct), null, null, null, null, null)
        .withDefaults();
    assertThat(spec2.validate().list())
        .containsExactly(new FieldProblem("rules[0].products", "values must be at most 64 characters"));
  }
}
