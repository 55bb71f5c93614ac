package io.patchloop.workflows.ticket;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.agent.HostAgentActivities;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairActivities;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;

/**
 * Host steps through the host's agent: what touches the host runs on the agent's own task queue,
 * planning, evaluating and recording stay central. An agent that is gone is noticed by Temporal's
 * timeouts, not by waiting: a step nobody picks up fails after the routing's schedule-to-start
 * timeout, a step whose agent stops heartbeating is tried again (and then fails the same way if
 * the agent stays away). Such a failure is recorded on the host like an SSH failure.
 */
final class AgentHostSteps implements HostSteps {

  private final long hostId;
  private final AgentRouting routing;
  private final ScanActivities scans;
  private final RepairActivities repairs;

  AgentHostSteps(long hostId, AgentRouting routing, ScanActivities scans, RepairActivities repairs) {
    this.hostId = hostId;
    this.routing = routing;
    this.scans = scans;
    this.repairs = repairs;
  }

  @Override
  public ScanSummary scan(ScanRequest request) {
    HostInventory inventory = onHost("collecting the inventory", HostStepActivities.SCAN,
        HostAgentActivities::collectInventory);
    return scans.recordScan(request, inventory);
  }

  @Override
  public RepairSummary repair(RepairRequest request) {
    RepairPlan plan = repairs.planRepair(request);
    InstallResult result = onHost("installing patches", HostStepActivities.REPAIR, a -> a.installPatches(plan));
    return repairs.recordRepair(request, plan, result);
  }

  @Override
  public BootMark requestReboot(long ignored) {
    return onHost("asking for a reboot", HostStepActivities.REBOOT_REQUEST, HostAgentActivities::requestReboot);
  }

  @Override
  public void awaitReboot(long ignored, BootMark before, int timeoutSeconds) {
    // The agent goes down with the host: this step is lost with it and tried again until the agent,
    // back after the boot, picks it up. No schedule-to-start limit: the whole wait is the limit.
    HostAgentActivities agent = Workflow.newActivityStub(HostAgentActivities.class,
        HostStepActivities.agentRebootWait(hostId, routing, timeoutSeconds));
    try {
      agent.awaitBootAfter(before);
    } catch (ActivityFailure f) {
      String message = f.getCause() instanceof TimeoutFailure
          ? "host " + hostId + " did not come back from its reboot within " + timeoutSeconds
              + " s: its agent never answered from a later boot"
          : ActivityFailures.message(f);
      throw recorded(f.getCause() instanceof TimeoutFailure ? "REBOOT_TIMEOUT" : ActivityFailures.kind(f), message);
    }
  }

  private interface Step<T> {
    T run(HostAgentActivities agent);
  }

  /**
   * Runs a host-side step on the agent. Each try is its own activity (no server-side retries), so
   * every try gets its own schedule-to-start limit: a step whose agent died mid-way is tried once
   * more, for an agent that its service manager restarts at once, and fails the host when no agent
   * picks that try up either.
   */
  private <T> T onHost(String step, ActivityOptions base, Step<T> call) {
    HostAgentActivities agent = Workflow.newActivityStub(HostAgentActivities.class,
        HostStepActivities.onAgent(base, hostId, routing));
    boolean lostBefore = false;
    while (true) {
      try {
        return call.run(agent);
      } catch (ActivityFailure f) {
        if (!(f.getCause() instanceof TimeoutFailure t)) {
          throw recorded(ActivityFailures.kind(f), ActivityFailures.message(f));
        }
        switch (t.getTimeoutType()) {
          case TIMEOUT_TYPE_HEARTBEAT -> {
            if (!lostBefore) {
              lostBefore = true;
              continue;
            }
            throw recorded("AGENT_LOST", "the agent of host " + hostId + " stopped answering while " + step
                + " (no heartbeat for " + routing.heartbeatTimeoutSeconds() + " s), twice");
          }
          case TIMEOUT_TYPE_SCHEDULE_TO_START -> throw recorded("AGENT_OFFLINE", "the agent of host " + hostId
              + (lostBefore ? " stopped answering while " + step + " and did not pick it up again" : " did not pick up "
                  + step) + " within " + routing.scheduleToStartSeconds()
              + " s: it is not connected to Temporal (stopped, killed, or cut off from the network)");
          default -> throw recorded("TIMEOUT", step + " on host " + hostId + " did not finish in time");
        }
      }
    }
  }

  private ApplicationFailure recorded(String kind, String message) {
    scans.recordHostFailure(hostId, kind, message);
    return ApplicationFailure.newNonRetryableFailure(message, kind);
  }
}
