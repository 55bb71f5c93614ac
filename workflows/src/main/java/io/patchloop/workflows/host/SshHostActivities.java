package io.patchloop.workflows.host;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The host-side steps over SSH, run by the central workers: each opens its own session to the
 * host. The agent's twin is {@link io.patchloop.workflows.agent.HostAgentActivities}; both run the
 * same collector, installer and boot reading. Failures are application failures typed with a
 * {@link HostErrorKind}. The reboot steps keep their names from before the one pipeline
 * (RequestReboot, AwaitReboot), so recorded histories still name the same activities.
 */
@ActivityInterface
public interface SshHostActivities {

  /**
   * @param refresh null from batches recorded before the argument existed (Temporal does not
   *     compare an activity's input on replay): read it with {@link MetadataRefresh#orDefault}
   */
  @ActivityMethod
  HostInventory collectInventory(long hostId, MetadataRefresh refresh);

  /** One transaction, then patch by patch on failure; then reads the host back. */
  @ActivityMethod
  InstallResult installPatches(long hostId, RepairPlan plan);

  /** Runs a ticket's hook script on the host; a non-zero exit or a timeout is in the result. */
  @ActivityMethod
  HookResult runHook(long hostId, HookRun run);

  /** Reads the boot mark, then asks the host to reboot a moment later; returns the mark from before. */
  @ActivityMethod
  BootMark requestReboot(long hostId);

  /**
   * Polls the host until it answers with a later boot than {@code request.before()}; safe to retry.
   *
   * @return the new boot mark
   */
  @ActivityMethod
  BootMark awaitReboot(AwaitReboot request);
}
