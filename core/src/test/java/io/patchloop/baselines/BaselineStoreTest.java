package io.patchloop.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.store.StoreTestApplication;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StoreTestApplication.class)
class BaselineStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "baselinestore");
  }

  @Autowired BaselineStore baselines;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void onlyBuiltIns() {
    jdbc.sql("DELETE FROM baselines WHERE NOT built_in").update();
    jdbc.sql("UPDATE baselines SET default_for_os = TRUE WHERE built_in").update();
  }

  static ApprovalRule rule(Integer days, LocalDate until) {
    return new ApprovalRule(List.of("HCE 2.0"), List.of("security", "Bugfix"), null, days, until, ComplianceLevel.HIGH);
  }

  static BaselineSpec spec(String name, OsFamily os, Boolean isDefault, List<ApprovalRule> rules) {
    return new BaselineSpec(name, null, Scenario.ECS, os, rules, List.of("HCE2-SA-2025-0001"), null,
        List.of("telnet*", "RHSA-2024:1234"), RejectedPatchesAction.BLOCK, isDefault);
  }

  @Test
  void seedsOneBuiltInDefaultPerOs() {
    var builtIn = baselines.list(null).stream().filter(Baseline::builtIn).toList();
    assertThat(builtIn).extracting(Baseline::os).as("every OS Patchloop knows (openEuler since V20)")
        .containsExactlyInAnyOrder(OsFamily.values());
    assertThat(builtIn).extracting(Baseline::name)
        .containsExactlyInAnyOrder("HCE-default", "CentOS-default", "EulerOS-default", "openEuler-default");
    assertThat(builtIn).allSatisfy(b -> {
      assertThat(b.defaultForOs()).isTrue();
      assertThat(b.rules()).singleElement().satisfies(r -> {
        assertThat(r.categories()).containsExactly("SECURITY");
        assertThat(r.severities()).containsExactly("CRITICAL", "IMPORTANT");
        assertThat(r.approveAfterDays()).isEqualTo(7);
        assertThat(r.complianceLevel()).isEqualTo(ComplianceLevel.HIGH);
        assertThat(r.allProducts()).isTrue();
      });
    });
  }

  @Test
  void storesEveryFieldNormalised() {
    Baseline b = baselines.create(spec("hce-strict", OsFamily.HCE, false,
        List.of(rule(0, null), rule(null, LocalDate.of(2025, 6, 30)))));
    assertThat(b.defaultForOs()).isFalse();
    assertThat(b.rules()).hasSize(2);
    assertThat(b.rules().get(0).categories()).containsExactly("SECURITY", "BUGFIX");
    assertThat(b.rules().get(0).severities()).containsExactly("ALL");
    assertThat(b.rules().get(1).approveUntilDate()).isEqualTo(LocalDate.of(2025, 6, 30));
    assertThat(b.approvedPatchesComplianceLevel()).isEqualTo(ComplianceLevel.UNSPECIFIED);
    assertThat(b.rejectedPatches()).containsExactlyInAnyOrder("telnet*", "RHSA-2024:1234");
    assertThat(b.rejectedPatchesAction()).isEqualTo(RejectedPatchesAction.BLOCK);
    assertThat(baselines.get(b.id())).isEqualTo(b);
  }

  @Test
  void keepsExactlyOneDefaultPerOs() {
    Baseline builtIn = baselines.defaultFor(OsFamily.HCE).orElseThrow();
    Baseline mine = baselines.create(spec("hce-mine", OsFamily.HCE, true, List.of()));
    assertThat(baselines.defaultFor(OsFamily.HCE)).contains(mine);
    assertThat(baselines.get(builtIn.id()).defaultForOs()).isFalse();
    assertThatThrownBy(() -> baselines.delete(mine.id())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("default");
    assertThatThrownBy(() -> baselines.update(mine.id(), spec("hce-mine", OsFamily.HCE, false, List.of())))
        .isInstanceOf(ConflictException.class);
    baselines.update(builtIn.id(), new BaselineSpec(builtIn.name(), builtIn.description(), builtIn.scenario(),
        builtIn.os(), builtIn.rules(), builtIn.approvedPatches(), null, null, null, true));
    baselines.delete(mine.id());
    assertThat(baselines.list(OsFamily.HCE)).filteredOn(Baseline::defaultForOs).singleElement()
        .extracting(Baseline::id).isEqualTo(builtIn.id());
  }

  /** Every OS has its built-in default since V20, so an OS is left without one here (the next test's setup restores it). */
  @Test
  void theFirstBaselineOfAnOsWithoutADefaultBecomesItsDefault() {
    jdbc.sql("UPDATE baselines SET default_for_os = FALSE WHERE os = 'OPENEULER'").update();
    assertThat(baselines.defaultFor(OsFamily.OPENEULER)).isEmpty();
    Baseline first = baselines.create(spec("oe-1", OsFamily.OPENEULER, false, List.of()));
    Baseline second = baselines.create(spec("oe-2", OsFamily.OPENEULER, false, List.of()));
    assertThat(first.defaultForOs()).isTrue();
    assertThat(second.defaultForOs()).isFalse();
  }

  @Test
  void refusesDuplicateNames() {
    assertThatThrownBy(() -> baselines.create(spec("HCE-default", OsFamily.HCE, false, List.of())))
        .isInstanceOf(ConflictException.class).hasMessageContaining("HCE-default");
  }

  @Test
  void namesEveryBadField() {
    var badRules = List.of(
        new ApprovalRule(List.of("ALL", "HCE 2.0"), List.of("SECURITY", "HOTFIX"), List.of("URGENT"), 361, null, null),
        new ApprovalRule(null, null, null, 3, LocalDate.of(2025, 1, 1), ComplianceLevel.LOW),
        new ApprovalRule(null, null, null, null, null, ComplianceLevel.LOW));
    var bad = new BaselineSpec(" ", null, null, null, badRules, List.of("bad id!"), null, List.of("rm -rf"), null, null);
    assertThatThrownBy(() -> baselines.create(bad))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(FieldProblem::field)
            .containsExactlyInAnyOrder("name", "os", "rules[0].products", "rules[0].categories",
                "rules[0].severities", "rules[0].approveAfterDays", "rules[0].complianceLevel",
                "rules[1].approveAfterDays", "rules[2].approveAfterDays", "approvedPatches[0]",
                "rejectedPatches[0]"));
    var tooMany = spec("eleven", OsFamily.HCE, false, Collections.nCopies(11, rule(1, null)));
    assertThatThrownBy(() -> baselines.create(tooMany)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("rules"));
  }
}
