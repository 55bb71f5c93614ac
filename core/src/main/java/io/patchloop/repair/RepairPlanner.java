package io.patchloop.repair;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.compliance.PatchState;
import io.patchloop.inventory.SafeValues;
import io.patchloop.reports.HostReport;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.repair.RepairPlan.Patch;
import io.patchloop.workflows.repair.RepairPlan.Target;
import io.patchloop.workflows.repair.RepairPlan;
import java.util.ArrayList;
import java.util.List;

/** Reads a repair plan off a host's newest report and its baseline (see {@link RepairPlan}, docs/COMPLIANCE.md#repair). */
public final class RepairPlanner {

  private RepairPlanner() {}

  public static RepairPlan plan(HostReport report, Baseline baseline) {
    List<Patch> patches = new ArrayList<>();
    for (HostReport.Patch p : report.patches()) {
      if (p.state() != PatchState.MISSING && p.state() != PatchState.FAILED) {
        continue;
      }
      List<Target> targets = new ArrayList<>();
      boolean kernel = false;
      for (HostReport.Package pkg : p.packages()) {
        if (pkg.installed() != null && Evr.parse(pkg.installed()).compareTo(Evr.parse(pkg.fixed())) >= 0) {
          continue; // this entry is already at the advisory's version; another one is behind
        }
        targets.add(new Target(pkg.name(), pkg.arch(), Evr.parse(pkg.fixed())));
        kernel |= pkg.name().equals("kernel") || pkg.name().startsWith("kernel-");
      }
      patches.add(new Patch(p.advisoryId(), p.state(), p.complianceLevel(), List.copyOf(targets),
          kernel || p.rebootSuggested()));
    }
    List<String> blocked = new ArrayList<>();
    if (baseline.rejectedPatchesAction() == RejectedPatchesAction.BLOCK && baseline.rejectedPatches() != null) {
      for (String r : baseline.rejectedPatches()) {
        if (SafeValues.PACKAGE_GLOB.matcher(r).matches()) {
          blocked.add(r);
        }
      }
    }
    return new RepairPlan(List.copyOf(patches), List.copyOf(blocked));
  }
}
