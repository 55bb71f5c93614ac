package io.patchloop.workflows.agent;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The host-side steps of scans and repairs, run by the Patchloop agent on the host itself: it
 * polls {@code TaskQueues.forHost(id)}, so a call routed there can only run on that host. The
 * agent reads and changes the host; evaluating, planning and recording stay on the central
 * workers. Failures are application failures typed like the SSH path's (TIMEOUT, COMMAND_FAILED,
 * OUTPUT_UNPARSEABLE).
 */
@ActivityInterface(namePrefix = "Agent")
public interface HostAgentActivities {

  /**
   * The host's inventory, read with the same collector the SSH path runs.
   *
   * @param refresh null from a workflow of an older release: read it with {@link MetadataRefresh#orDefault}
   * @param knownChecksums the updateinfo files the platform's catalog holds, by checksum: the agent
   *     does not read those and names them in {@link HostInventory#catalogChecksums} instead; null
   *     (a workflow of an older release): read every file, as before. An agent of an older release
   *     ignores the argument and sends every file's advisories.
   */
  @ActivityMethod
  HostInventory collectInventory(MetadataRefresh refresh, List<String> knownChecksums);

  /** Installs the plan (one transaction, then patch by patch on failure) and reads the host back. */
  @ActivityMethod
  InstallResult installPatches(RepairPlan plan);

  /**
   * Runs a ticket's hook script on this host; a non-zero exit or a timeout is in the result. An
   * agent of a release before hooks does not know the activity: the step fails, and so does the host.
   */
  @ActivityMethod
  HookResult runHook(HookRun run);

  /** Reads the boot mark, then asks the host to reboot a moment later; returns the mark from before. */
  @ActivityMethod
  BootMark requestReboot();

  /**
   * Returns once the host runs a later boot than {@code before}. The agent goes down with the
   * reboot; the retry that the agent picks up after the boot answers at once.
   */
  @ActivityMethod
  BootMark awaitBootAfter(BootMark before);
}
