package io.patchloop.workflows.repair;

import io.patchloop.compliance.ComplianceStatus;
import java.util.List;

/**
 * What a repair did to one host; the per-patch detail is in the host's report.
 *
 * @param planned patches (advisories) the report marked MISSING or FAILED, all of which were tried
 * @param installed planned patches now installed (INSTALLED or INSTALLED_PENDING_REBOOT)
 * @param failed planned patches still missing; the report marks them FAILED with the package manager's error
 * @param failedPatches the ids of the failed ones, at most {@link #MAX_LISTED}
 * @param needsReboot an installed patch waits for a reboot (kernel newer than the running one, or
 *     {@code dnf needs-restarting -r} says so)
 * @param status the report's status after the repair
 */
public record RepairSummary(
    long hostId,
    long baselineId,
    int planned,
    int installed,
    int failed,
    List<String> failedPatches,
    boolean needsReboot,
    ComplianceStatus status) {

  public static final int MAX_LISTED = 10;
}
