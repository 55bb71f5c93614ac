package io.patchloop.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Problems are kept by field, in the order found, at most {@value Problems#MAX_LISTED}, each add in constant time. */
class ProblemsTest {

  @Test
  void theFirstReasonForAFieldStandsAndNestedProblemsShareTheList() {
    Problems problems = new Problems();
    problems.add("osFamily", "must be one of [HCE, CENTOS]");
    problems.required("osFamily", null);
    problems.nested("rules[0]").add("complianceLevel", "is required");
    problems.nested("rules[0]").add("complianceLevel", "is something else");
    assertThat(problems.list()).containsExactly(new FieldProblem("osFamily", "must be one of [HCE, CENTOS]"),
        new FieldProblem("rules[0].complianceLevel", "is required"));
    assertThat(problems.count()).isEqualTo(2);
  }

  /**
   * Before, each add scanned every earlier problem: 100,000 problems of distinct fields took
   * minutes (the review measured 80,000 at 11.9 s). Now they take milliseconds and the answer
   * lists the first thousand and says how many more there were.
   */
  @Test
  void aHundredThousandProblemsAreCollectedInLinearTimeAndListedUpToAThousand() {
    long started = System.nanoTime();
    Problems problems = new Problems();
    for (int i = 0; i < 100_000; i++) {
      problems.nested("line " + (i + 2)).add("columns", "has 1 fields, the header has 3");
    }
    List<FieldProblem> listed = problems.list();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("ProblemsTest: 100,000 adds took " + millis + " ms");

    assertThat(listed).hasSize(Problems.MAX_LISTED + 1);
    assertThat(listed.get(0).field()).isEqualTo("line 2.columns");
    assertThat(listed.get(Problems.MAX_LISTED - 1).field()).isEqualTo("line 1001.columns");
    assertThat(listed.get(Problems.MAX_LISTED))
        .isEqualTo(new FieldProblem(Problems.MORE_FIELD, "99000 more problem(s) left out; only the first 1000 are listed"));
    assertThat(problems.count()).isEqualTo(100_000);
    // generous: the quadratic version needed minutes for this; the linear one needs milliseconds
    assertThat(millis).isLessThan(5_000);
  }

  @Test
  void problemsFoundEarlierCarryOverWithTheirCountOfLeftOutOnes() {
    Problems parsing = new Problems();
    for (int i = 0; i < 1500; i++) {
      parsing.add("line " + i, "is bad");
    }
    Problems later = Problems.startingWith(parsing.list());
    later.add("line 2000", "is bad too");
    assertThat(later.list()).hasSize(Problems.MAX_LISTED + 1);
    assertThat(later.count()).isEqualTo(1501);
    assertThat(later.list().get(Problems.MAX_LISTED).reason()).startsWith("501 more problem(s)");
  }

  @Test
  void aTooLongValueIsNamedByItsMaximumNeverEchoed() {
    Problems problems = new Problems();
    String hostile = "x".repeat(10_000);
    assertThat(problems.maxLength("externalRef", hostile, 64)).isFalse();
    assertThat(problems.maxLength("name", "ok", 64)).isTrue();
    assertThat(problems.maxLength("name", null, 64)).as("null is the required check's business").isTrue();
    problems.httpUrl("callback.url", "http://example.com/" + hostile, 2000);
    assertThat(problems.list()).containsExactly(
        new FieldProblem("externalRef", "must be at most 64 characters"),
        new FieldProblem("callback.url", "must be an http:// or https:// URL of at most 2000 characters"));
  }
}
