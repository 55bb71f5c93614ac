package io.patchloop.workflows.ticket;

import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.RebootActivities;
import io.patchloop.workflows.repair.RepairActivities;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.workflow.Workflow;

/** Host steps over SSH: each one central activity that opens its own session to the host. */
final class SshHostSteps implements HostSteps {

  private final ScanActivities scans;
  private final RepairActivities repairs;
  private final RebootActivities rebootRequests;

  SshHostSteps(ScanActivities scans, RepairActivities repairs, RebootActivities rebootRequests) {
    this.scans = scans;
    this.repairs = repairs;
    this.rebootRequests = rebootRequests;
  }

  @Override
  public ScanSummary scan(ScanRequest request) {
    return scans.scanHost(request);
  }

  @Override
  public RepairSummary repair(RepairRequest request) {
    return repairs.repairHost(request);
  }

  @Override
  public BootMark requestReboot(long hostId) {
    return rebootRequests.requestReboot(hostId);
  }

  @Override
  public void awaitReboot(long hostId, BootMark before, int timeoutSeconds) {
    RebootActivities waits = Workflow.newActivityStub(RebootActivities.class, HostStepActivities.rebootWait(timeoutSeconds));
    waits.awaitReboot(new AwaitReboot(hostId, before, Workflow.currentTimeMillis() + timeoutSeconds * 1000L));
  }
}
