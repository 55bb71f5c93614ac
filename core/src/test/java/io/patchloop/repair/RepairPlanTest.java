package io.patchloop.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.PatchState;
import io.patchloop.reports.HostReport;
import io.patchloop.workflows.repair.RepairPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a repair installs, read from a report: exact versions, only what is behind, never what is blocked. */
class RepairPlanTest {

  static HostReport.Patch patch(String id, String state, boolean reboot, HostReport.Package... packages) {
    return new HostReport.Patch(id, PatchState.valueOf(state), "HIGH", "IMPORTANT", "SECURITY", Instant.EPOCH, reboot, List.of(),
        List.of(packages), null);
  }

  static HostReport report(HostReport.Patch... patches) {
    return new HostReport(1, 1, "b", null, "SCAN", Instant.EPOCH, ComplianceStatus.NON_COMPLIANT, "HCE 2.0", "5.10", 60L, List.of(), Map.of(), Map.of(),
        List.of(patches));
  }

  static Baseline baseline(List<String> rejected, RejectedPatchesAction action) {
    return new Baseline(1, "b", null, Scenario.ECS, OsFamily.HCE, List.of(), List.of(), ComplianceLevel.HIGH, rejected,
        action, true, false, Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void plansMissingAndFailedPatchesAtTheirExactVersionsOnlyForPackagesBehind() {
    RepairPlan plan = RepairPlanner.plan(report(
        patch("SA-1", "MISSING", false, new HostReport.Package("curl", "x86_64", "7.79.1-22", "7.79.1-27"),
            new HostReport.Package("libcurl", "x86_64", "7.79.1-27", "7.79.1-27")),
        patch("SA-2", "FAILED", false, new HostReport.Package("ntp", "x86_64", "4.2.8p15-3", "2:4.2.6p5-1")),
        patch("SA-3", "INSTALLED", false, new HostReport.Package("bash", "x86_64", "5.1.8-8", "5.1.8-8")),
        patch("SA-4", "INSTALLED_PENDING_REBOOT", true, new HostReport.Package("kernel", "x86_64", "5.10-2", "5.10-2"))),
        baseline(List.of(), RejectedPatchesAction.ALLOW_AS_DEPENDENCY));

    assertThat(plan.patches()).extracting(RepairPlan.Patch::advisoryId).containsExactly("SA-1", "SA-2");
    assertThat(plan.patches().get(0).nevras()).as("libcurl is already there").containsExactly("curl-7.79.1-27.x86_64");
    assertThat(plan.patches().get(1).nevras()).as("the epoch is kept").containsExactly("ntp-2:4.2.6p5-1.x86_64");
    assertThat(plan.blockedPackageGlobs()).isEmpty();
  }

  @Test
  void oneTransactionTakesTheHighestVersionOfEachPackage() {
    RepairPlan plan = RepairPlanner.plan(report(
        patch("SA-1", "MISSING", false, new HostReport.Package("curl", "x86_64", "7.79.1-22", "7.79.1-27")),
        patch("SA-2", "MISSING", false, new HostReport.Package("curl", "x86_64", "7.79.1-22", "7.79.1-30"),
            new HostReport.Package("curl", "i686", "7.79.1-22", "7.79.1-27"))),
        baseline(List.of(), RejectedPatchesAction.ALLOW_AS_DEPENDENCY));
    assertThat(plan.combinedNevras()).containsExactly("curl-7.79.1-30.x86_64", "curl-7.79.1-27.i686");
  }

  @Test
  void kernelsAndRebootSuggestedAdvisoriesExpectAReboot() {
    RepairPlan plan = RepairPlanner.plan(report(
        patch("SA-1", "MISSING", false, new HostReport.Package("kernel-core", "x86_64", "5.10-1", "5.10-2")),
        patch("SA-2", "MISSING", true, new HostReport.Package("glibc", "x86_64", "2.34-1", "2.34-2")),
        patch("SA-3", "MISSING", false, new HostReport.Package("vim", "x86_64", "9.0-1", "9.0-2"))),
        baseline(List.of(), RejectedPatchesAction.ALLOW_AS_DEPENDENCY));
    assertThat(plan.patches()).extracting(RepairPlan.Patch::rebootExpected).containsExactly(true, true, false);
  }

  @Test
  void blockedNamesAndGlobsAreExcludedButAdvisoryIdsAndAllowedOnesAreNot() {
    RepairPlan blocked = RepairPlanner.plan(report(), baseline(List.of("telnet", "kernel*", "RHSA-2024:1234"),
        RejectedPatchesAction.BLOCK));
    assertThat(blocked.blockedPackageGlobs()).containsExactly("telnet", "kernel*");
    RepairPlan allowed = RepairPlanner.plan(report(), baseline(List.of("telnet"), RejectedPatchesAction.ALLOW_AS_DEPENDENCY));
    assertThat(allowed.blockedPackageGlobs()).isEmpty();
    assertThat(allowed.patches()).isEmpty();
  }
}
