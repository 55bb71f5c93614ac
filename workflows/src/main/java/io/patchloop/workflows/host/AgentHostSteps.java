package io.patchloop.workflows.host;

import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.agent.HostAgentActivities;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * One host's steps through its agent, on the agent's own task queue. An agent that is gone is
 * noticed by Temporal's timeouts, not by waiting: a step nobody picks up fails after the routing's
 * schedule-to-start timeout, a step whose agent stops heartbeating is tried again (and then fails
 * the same way if the agent stays away).
 */
final class AgentHostSteps implements HostSteps {

  private final long hostId;
  private final AgentRouting routing;
  /** The host as Temporal's Web UI names it in each step's summary. */
  private final String label;

  AgentHostSteps(long hostId, AgentRouting routing, String label) {
    this.hostId = hostId;
    this.routing = routing;
    this.label = label;
  }

  /**
   * From version 1 of {@link #BY_CHECKSUM}, the agent is first told which updateinfo files the
   * catalog holds (a central step), and sends only the checksums of those, with its whole package
   * list; {@code recordScan} adds their advisories. Before it, the agent read every file.
   */
  @Override
  public HostInventory collect(MetadataRefresh refresh) {
    List<String> known = Workflow.getVersion(BY_CHECKSUM, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
        ? null : knownChecksums();
    return onAgent("collecting the inventory", "scan", HostStepOptions.SCAN, a -> a.collectInventory(refresh, known));
  }

  /** The change id of the agent's collection by checksum (issue 17). */
  static final String BY_CHECKSUM = "agent-updateinfo-by-checksum";

  /** What the catalog holds; null, so that the agent reads every file, when that could not be asked. */
  private List<String> knownChecksums() {
    ReportActivities reports = Workflow.newActivityStub(ReportActivities.class,
        HostStepOptions.summarized(HostStepOptions.CENTRAL, "known updateinfo for " + label));
    try {
      return reports.knownUpdateInfoChecksums();
    } catch (ActivityFailure f) {
      // a slower scan (every file read on the host) rather than none
      Workflow.getLogger(AgentHostSteps.class).warn("the catalog's checksums could not be asked for host {}: {}", hostId,
          ActivityFailures.message(f));
      return null;
    }
  }

  @Override
  public InstallResult install(RepairPlan plan) {
    return onAgent("installing patches", "install patches", HostStepOptions.REPAIR, a -> a.installPatches(plan));
  }

  @Override
  public HookResult runHook(HookRun run) {
    String what = run.phase().argument() + "-hook " + run.hook().label();
    return onAgent("running the " + what, what, HostStepOptions.hook(run.hook().timeoutSeconds()),
        a -> a.runHook(run));
  }

  @Override
  public BootMark requestReboot() {
    BootMark before = onAgent("asking for a reboot", "reboot", HostStepOptions.REBOOT_REQUEST,
        HostAgentActivities::requestReboot);
    // the mark goes back to the agent and into the history: checked as HostBoot checks what it reads
    if (Workflow.getVersion(BOOT_MARK_CHECK, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION
        && !HostDataLimits.plausible(before)) {
      throw failure(HostErrorKind.OUTPUT_UNPARSEABLE, "the agent of host " + hostId + " answered the reboot request"
          + " with a boot mark no host gives: " + HostDataLimits.hostText(String.valueOf(before), 200));
    }
    return before;
  }

  /** The change id of failing an unreadable agent answer OUTPUT_UNPARSEABLE (issue 18). */
  static final String UNREADABLE_ANSWER = "agent-unreadable-answer";

  /** The change id of the central check of an agent's boot mark (issue 18). */
  static final String BOOT_MARK_CHECK = "agent-boot-mark-check";

  @Override
  public void awaitReboot(BootMark before, int timeoutSeconds) {
    // The agent goes down with the host: this step is lost with it and tried again until the agent,
    // back after the boot, picks it up. No schedule-to-start limit: the whole wait is the limit.
    HostAgentActivities agent = Workflow.newActivityStub(HostAgentActivities.class, HostStepOptions.summarized(
        HostStepOptions.agentRebootWait(hostId, routing, timeoutSeconds), "await reboot " + label));
    try {
      agent.awaitBootAfter(before);
    } catch (DataConverterException unreadable) {
      throw unreadable("waiting for the reboot", unreadable);
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof TimeoutFailure) {
        throw failure(HostErrorKind.REBOOT_TIMEOUT, "host " + hostId + " did not come back from its reboot within "
            + timeoutSeconds + " s: its agent never answered from a later boot");
      }
      throw failure(ActivityFailures.kind(f), ActivityFailures.message(f));
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
  private <T> T onAgent(String step, String summary, ActivityOptions base, Step<T> call) {
    HostAgentActivities agent = Workflow.newActivityStub(HostAgentActivities.class,
        HostStepOptions.summarized(HostStepOptions.onAgent(base, hostId, routing), summary + " " + label));
    boolean lostBefore = false;
    while (true) {
      try {
        return call.run(agent);
      } catch (DataConverterException unreadable) {
        throw unreadable(step, unreadable);
      } catch (ActivityFailure f) {
        if (!(f.getCause() instanceof TimeoutFailure t)) {
          throw failure(ActivityFailures.kind(f), ActivityFailures.message(f));
        }
        switch (t.getTimeoutType()) {
          case TIMEOUT_TYPE_HEARTBEAT -> {
            if (!lostBefore) {
              lostBefore = true;
              continue;
            }
            throw failure(HostErrorKind.AGENT_LOST, "the agent of host " + hostId + " stopped answering while "
                + step + " (no heartbeat for " + routing.heartbeatTimeoutSeconds() + " s), twice");
          }
          case TIMEOUT_TYPE_SCHEDULE_TO_START -> throw failure(HostErrorKind.AGENT_OFFLINE, "the agent of host "
              + hostId + (lostBefore ? " stopped answering while " + step + " and did not pick it up again"
                  : " did not pick up " + step) + " within " + routing.scheduleToStartSeconds()
              + " s: it is not connected to Temporal (stopped, killed, or cut off from the network)");
          default -> throw failure(HostErrorKind.TIMEOUT, step + " on host " + hostId + " did not finish in time");
        }
      }
    }
  }

  /**
   * An answer of the agent that does not read as the step's result (a negative epoch, a field of the
   * wrong type): what no honest agent sends. The host fails; left uncaught it would fail the batch's
   * workflow task again and again, and the batch would hang.
   */
  private RuntimeException unreadable(String step, DataConverterException e) {
    // a batch of the release before let the exception escape (the host failed INTERNAL, unrecorded)
    if (Workflow.getVersion(UNREADABLE_ANSWER, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return e;
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return failure(HostErrorKind.OUTPUT_UNPARSEABLE, "the agent of host " + hostId + " answered " + step
        + " with data that cannot be read: " + HostDataLimits.hostText(String.valueOf(root.getMessage()), 500));
  }

  private static ApplicationFailure failure(HostErrorKind kind, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, kind.name());
  }
}
