package io.patchloop.repair;

import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.inventory.HostInventory;
import io.patchloop.reports.HostReport;
import io.patchloop.workflows.repair.RepairPlan;
import java.util.stream.Stream;

/**
 * Whether a repaired host needs a reboot: decided here, for the ticket preview before a repair and
 * for the repair itself, from what each knows. Both count a patch that already waits for a reboot
 * (INSTALLED_PENDING_REBOOT, see docs/COMPLIANCE.md#reboot-detection).
 */
public final class RebootNeed {

  private RebootNeed() {}

  /** Before the repair: a reported patch waits for a reboot, or a planned one carries a kernel or suggests a reboot. */
  public static boolean expected(HostReport report, RepairPlan plan) {
    return waitsForReboot(report.patches().stream().map(HostReport.Patch::state))
        || plan.patches().stream().anyMatch(RepairPlan.Patch::rebootExpected);
  }

  /** After the repair: a patch now waits for a reboot, or {@code dnf needs-restarting -r} says the host needs one. */
  public static boolean after(HostInventory inventory, HostCompliance compliance) {
    return Boolean.TRUE.equals(inventory.needsRestarting())
        || waitsForReboot(compliance.patches().stream().map(PatchCompliance::state));
  }

  private static boolean waitsForReboot(Stream<PatchState> states) {
    return states.anyMatch(s -> s == PatchState.INSTALLED_PENDING_REBOOT);
  }
}
