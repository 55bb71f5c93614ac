package io.patchloop.workflows.host;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.temporal.workflow.Workflow;

/** One host's steps over SSH: each a central activity that opens its own session to the host. */
final class SshHostSteps implements HostSteps {

  private final long hostId;
  private final SshHostActivities collects =
      Workflow.newActivityStub(SshHostActivities.class, HostStepOptions.SCAN);
  private final SshHostActivities installs =
      Workflow.newActivityStub(SshHostActivities.class, HostStepOptions.REPAIR);
  private final SshHostActivities rebootRequests =
      Workflow.newActivityStub(SshHostActivities.class, HostStepOptions.REBOOT_REQUEST);

  SshHostSteps(long hostId) {
    this.hostId = hostId;
  }

  @Override
  public HostInventory collect() {
    return collects.collectInventory(hostId);
  }

  @Override
  public InstallResult install(RepairPlan plan) {
    return installs.installPatches(hostId, plan);
  }

  @Override
  public BootMark requestReboot() {
    return rebootRequests.requestReboot(hostId);
  }

  @Override
  public void awaitReboot(BootMark before, int timeoutSeconds) {
    // the deadline is fixed here, in workflow time, so a retried wait keeps the same one
    SshHostActivities waits = Workflow.newActivityStub(SshHostActivities.class,
        HostStepOptions.rebootWait(timeoutSeconds));
    waits.awaitReboot(new AwaitReboot(hostId, before, Workflow.currentTimeMillis() + timeoutSeconds * 1000L));
  }
}
