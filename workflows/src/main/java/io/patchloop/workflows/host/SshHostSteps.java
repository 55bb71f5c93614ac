package io.patchloop.workflows.host;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/** One host's steps over SSH: each a central activity that opens its own session to the host. */
final class SshHostSteps implements HostSteps {

  private final long hostId;
  /** The host as Temporal's Web UI names it in each step's summary. */
  private final String label;
  private final SshHostActivities collects;
  private final SshHostActivities installs;
  private final SshHostActivities rebootRequests;

  SshHostSteps(long hostId, String label) {
    this.hostId = hostId;
    this.label = label;
    this.collects = stub(HostStepOptions.SCAN, "scan");
    this.installs = stub(HostStepOptions.REPAIR, "install patches");
    this.rebootRequests = stub(HostStepOptions.REBOOT_REQUEST, "reboot");
  }

  private SshHostActivities stub(ActivityOptions options, String step) {
    return Workflow.newActivityStub(SshHostActivities.class,
        HostStepOptions.summarized(options, step + " " + label));
  }

  @Override
  public HostInventory collect(MetadataRefresh refresh) {
    return collects.collectInventory(hostId, refresh);
  }

  @Override
  public InstallResult install(RepairPlan plan) {
    return installs.installPatches(hostId, plan);
  }

  @Override
  public HookResult runHook(HookRun run) {
    SshHostActivities hooks = stub(HostStepOptions.hook(run.hook().timeoutSeconds()),
        run.phase().argument() + "-hook " + run.hook().label());
    return hooks.runHook(hostId, run);
  }

  @Override
  public BootMark requestReboot() {
    return rebootRequests.requestReboot(hostId);
  }

  @Override
  public void awaitReboot(BootMark before, int timeoutSeconds) {
    // the deadline is fixed here, in workflow time, so a retried wait keeps the same one
    SshHostActivities waits = stub(HostStepOptions.rebootWait(timeoutSeconds), "await reboot");
    waits.awaitReboot(new AwaitReboot(hostId, before, Workflow.currentTimeMillis() + timeoutSeconds * 1000L));
  }
}
