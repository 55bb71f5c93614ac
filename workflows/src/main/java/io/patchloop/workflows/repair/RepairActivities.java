package io.patchloop.workflows.repair;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Repairing one host: install what its newest report marks MISSING or FAILED under its baseline,
 * then replace the report with the truth read back from the host. Failures are application
 * failures typed like a scan's (UNREACHABLE, AUTH_FAILED, ..., NO_REPORT); a patch that fails to
 * install is not an activity failure but a count in the summary and a FAILED patch in the report.
 */
@ActivityInterface
public interface RepairActivities {

  @ActivityMethod
  RepairSummary repairHost(RepairRequest request);

  /** The first central step of an agent host's repair: what {@link #repairHost} would install. */
  @ActivityMethod
  RepairPlan planRepair(RepairRequest request);

  /** The last central step of an agent host's repair: the report from what the agent installed and read back. */
  @ActivityMethod
  RepairSummary recordRepair(RepairRequest request, RepairPlan plan, InstallResult result);
}
