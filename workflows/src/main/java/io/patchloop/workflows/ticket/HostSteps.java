package io.patchloop.workflows.ticket;

import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;

/**
 * The steps of a host's scan or repair, as a batch runs them: over SSH from the central workers
 * ({@link SshHostSteps}) or through the host's own agent ({@link AgentHostSteps}). The batch's
 * logic (what follows what, what a host's outcome is) is written once, against this.
 */
interface HostSteps {

  ScanSummary scan(ScanRequest request);

  RepairSummary repair(RepairRequest request);

  /** @return the boot mark from before the reboot */
  BootMark requestReboot(long hostId);

  /** Returns when the host runs a later boot than {@code before}; fails REBOOT_TIMEOUT after {@code timeoutSeconds}. */
  void awaitReboot(long hostId, BootMark before, int timeoutSeconds);
}
