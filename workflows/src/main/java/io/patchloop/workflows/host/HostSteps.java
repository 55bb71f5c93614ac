package io.patchloop.workflows.host;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;

/**
 * The steps that read or change one host, as the batch runs them: over SSH from the central
 * workers ({@link SshHostSteps}) or through the host's own agent ({@link AgentHostSteps}). Everything
 * else (planning, evaluating, recording) is central and the same for both: {@link ReportActivities},
 * called by the batch's host pipeline.
 * A step that fails throws an {@link io.temporal.failure.ApplicationFailure} typed with a
 * {@link HostErrorKind}, or the activity failure Temporal gave.
 */
public interface HostSteps {

  /**
   * The host's installed packages, applicable advisories, running kernel and boot.
   *
   * @param refresh when the host's package manager refreshes its repository metadata first
   */
  HostInventory collect(MetadataRefresh refresh);

  /** Installs the plan and reads the host back. */
  InstallResult install(RepairPlan plan);

  /** Asks the host to reboot; returns the boot mark from before, so a retry never reboots twice. */
  BootMark requestReboot();

  /**
   * Runs a ticket's hook script on the host. A script that exits non-zero or runs past its timeout
   * is a result ({@link HookResult#succeeded()} false), not a failed step.
   */
  HookResult runHook(HookRun run);

  /** Returns when the host runs a later boot than {@code before}; fails REBOOT_TIMEOUT after {@code timeoutSeconds}. */
  void awaitReboot(BootMark before, int timeoutSeconds);

  /** The steps of a host reached over SSH from the central workers. */
  static HostSteps overSsh(long hostId) {
    return overSsh(hostId, "host " + hostId);
  }

  /** @param label the host as Temporal's Web UI names it in the steps' summaries ("lab01 127.0.0.1:2201") */
  static HostSteps overSsh(long hostId, String label) {
    return new SshHostSteps(hostId, label);
  }

  /** The steps of a host reached through its agent, on the agent's own task queue. */
  static HostSteps throughAgent(long hostId, AgentRouting routing) {
    return throughAgent(hostId, routing, "host " + hostId);
  }

  /** @param label the host as Temporal's Web UI names it in the steps' summaries */
  static HostSteps throughAgent(long hostId, AgentRouting routing, String label) {
    return new AgentHostSteps(hostId, routing, label);
  }
}
