package io.patchloop.workflows.ticket;

import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.hooks.HookPhase;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.host.FusedSshActivities;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.host.HostStepOptions;
import io.patchloop.workflows.host.HostSteps;
import io.patchloop.workflows.host.ReportActivities;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One host's scan or repair, written once for every host: the steps on the host come from its
 * {@link HostSteps} (over SSH, or through its agent), the central ones (plan, evaluate and record,
 * record a failure) from {@link ReportActivities}. A scan is collect, then record; a repair is plan,
 * install, record, and, when a patch waits for a reboot and the ticket allows it, reboot as steps
 * of their own (ask, wait for the new boot) and scan again so the report shows what the new boot
 * runs.
 *
 * <p>A failed host step is recorded on the host ({@code lastError}) and fails the host. A failed
 * central step (no baseline, no report) fails the host without touching its record: nothing
 * about the host itself went wrong.
 */
final class HostPipeline {

  private final BatchRequest request;
  private final long hostId;
  private final long startedAt;
  private final HostSteps steps;
  /** Non-null only for SSH hosts of batches started before the one pipeline: see {@link FusedSshActivities}. */
  private final FusedSshActivities fused;
  private final Consumer<String> live;
  /** The host as Temporal's Web UI names it in the summaries of the central steps. */
  private final String label;

  /**
   * @param fused the fused SSH activities to replay a batch of an older release with, or null
   * @param live takes the step a running host is in, for the progress query
   * @param label the host as Temporal's Web UI names it ("lab01 127.0.0.1:2201")
   */
  HostPipeline(BatchRequest request, long hostId, long startedAt, HostSteps steps, FusedSshActivities fused,
      Consumer<String> live, String label) {
    this.request = request;
    this.hostId = hostId;
    this.startedAt = startedAt;
    this.steps = steps;
    this.fused = fused;
    this.live = live;
    this.label = label;
  }

  /** The central steps, their activity summarized for Temporal's Web UI as {@code step} of this host. */
  private ReportActivities reports(String step) {
    return Workflow.newActivityStub(ReportActivities.class,
        HostStepOptions.summarized(HostStepOptions.CENTRAL, UiSummaries.step(step, label)));
  }

  HostOutcome run() {
    return request.operation() == Operation.SCAN ? scan() : repair();
  }

  private HostOutcome scan() {
    ScanSummary summary = scanned(new ScanRequest(hostId, request.baselineId(), request.ticketId(), null));
    return HostOutcome.succeeded(hostId, request.batchNo(), summary.status(), startedAt, Workflow.currentTimeMillis(),
        null);
  }

  /**
   * A host some of whose patches failed is FAILED (it counts toward the threshold) even though its
   * other patches went in. The ticket's hooks run around the rest: a pre-hook that fails ends the
   * host before anything is planned or installed; the post-hook runs once the install step is done
   * (and the reboot and scan again), whatever became of single patches, so that what the pre-hook
   * stopped is started again.
   */
  private HostOutcome repair() {
    TicketHooks hooks = request.hooks();
    HookLog hookLog = new HookLog();
    if (hooks != null && hooks.pre() != null) {
      live.accept("running pre-hook " + hooks.pre().label());
      HookResult pre = hookLog.add(hooks.pre(), HookPhase.PRE, onHost(() -> steps.runHook(
          new HookRun(hooks.pre(), HookPhase.PRE, request.ticketId()))));
      if (!pre.succeeded()) {
        String message = hookLog.failure(hooks.pre(), HookPhase.PRE, pre) + "; nothing was installed";
        reports("record failure").recordHostFailure(hostId, HookPhase.PRE.failure(), message);
        return HostOutcome.failed(hostId, request.batchNo(), HookPhase.PRE.failure(), message, null, startedAt,
            Workflow.currentTimeMillis(), "nothing installed: the pre-hook failed").withHookOutput(hookLog.text());
      }
    }
    return withPostHook(repairPatches(), hooks, hookLog);
  }

  /** Runs the post-hook, when the ticket has one, after the host's repair; its failure fails the host. */
  private HostOutcome withPostHook(HostOutcome repaired, TicketHooks hooks, HookLog hookLog) {
    if (hooks == null || hooks.post() == null) {
      return repaired.withHookOutput(hookLog.text());
    }
    live.accept("running post-hook " + hooks.post().label());
    HookResult post = hookLog.add(hooks.post(), HookPhase.POST, onHost(() -> steps.runHook(
        new HookRun(hooks.post(), HookPhase.POST, request.ticketId()))));
    if (post.succeeded()) {
      return repaired.withHookOutput(hookLog.text());
    }
    String message = hookLog.failure(hooks.post(), HookPhase.POST, post);
    reports("record failure").recordHostFailure(hostId, HookPhase.POST.failure(), message);
    long finishedAt = Workflow.currentTimeMillis();
    HostOutcome failed = repaired.state() == HostOutcome.State.FAILED
        // the patches' failure stays the kind; the post-hook's is told beside it
        ? HostOutcome.failed(hostId, request.batchNo(), repaired.errorKind(),
            repaired.errorMessage() + "; and " + message, repaired.complianceStatus(), startedAt, finishedAt,
            repaired.detail())
        : HostOutcome.failed(hostId, request.batchNo(), HookPhase.POST.failure(), message,
            repaired.complianceStatus(), startedAt, finishedAt, repaired.detail());
    return failed.withHookOutput(hookLog.text());
  }

  /** What the hooks printed on the host, each run headed by how it ended; kept on the host's outcome. */
  private static final class HookLog {
    private final StringBuilder text = new StringBuilder();

    HookResult add(HostHook hook, HookPhase phase, HookResult result) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(phase.argument()).append("-hook ").append(hook.label()).append(' ')
          .append(result.describe(hook.timeoutSeconds()));
      // the agent's answer is the host's word: bounded and cleaned here too
      String output = HostDataLimits.message(result.output());
      if (output != null && !output.isBlank()) {
        text.append(":\n").append(output.strip());
      }
      return result;
    }

    String failure(HostHook hook, HookPhase phase, HookResult result) {
      String output = result.output() == null ? "" : result.output().strip();
      String lastLine = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
      return phase.argument() + "-hook " + hook.label() + " " + result.describe(hook.timeoutSeconds())
          + (lastLine.isEmpty() ? "" : ": " + HostDataLimits.hostText(lastLine, 300));
    }

    String text() {
      return text.isEmpty() ? null : HostDataLimits.message(text.toString());
    }
  }

  private HostOutcome repairPatches() {
    RepairSummary r = repaired(new RepairRequest(hostId, request.baselineId(), request.ticketId()));
    ComplianceStatus status = r.status();
    StringBuilder detail = new StringBuilder(r.planned() == 0 ? "nothing to install"
        : "installed " + r.installed() + " of " + r.planned() + " patches");
    if (r.needsReboot()) {
      if (request.rebootOption() == RebootOption.REBOOT_IF_NEEDED) {
        live.accept(detail + "; rebooting");
        BootMark before = onHost(steps::requestReboot);
        int timeout = request.rebootTimeoutSeconds() > 0 ? request.rebootTimeoutSeconds()
            : RebootOption.DEFAULT_TIMEOUT_SECONDS;
        onHost(() -> {
          steps.awaitReboot(before, timeout);
          return before;
        });
        live.accept(detail + "; rebooted, scanning again");
        status = scanned(new ScanRequest(hostId, r.baselineId(), request.ticketId(), Operation.REPAIR)).status();
        detail.append("; rebooted and scanned again");
      } else {
        detail.append("; reboot pending (NO_REBOOT)");
      }
    }
    long finishedAt = Workflow.currentTimeMillis();
    if (r.failed() > 0) {
      String which = String.join(", ", r.failedPatches()) + (r.failed() > r.failedPatches().size()
          ? " and " + (r.failed() - r.failedPatches().size()) + " more" : "");
      return HostOutcome.failed(hostId, request.batchNo(), HostErrorKind.PATCHES_FAILED,
          r.failed() + " of " + r.planned() + " patches failed to install: " + which
              + " (the host's report has the package manager's error for each)",
          status, startedAt, finishedAt, detail.toString());
    }
    return HostOutcome.succeeded(hostId, request.batchNo(), status, startedAt, finishedAt, detail.toString());
  }

  private ScanSummary scanned(ScanRequest scan) {
    if (fused != null) {
      return fused.scanHost(scan);
    }
    // every collection of the ticket, the scan again after a reboot included, refreshes as the ticket says
    MetadataRefresh refresh = MetadataRefresh.orDefault(request.metadataRefresh());
    HostInventory inventory = onHost(() -> steps.collect(refresh));
    return reports("record scan").recordScan(scan, inventory);
  }

  private RepairSummary repaired(RepairRequest repair) {
    if (fused != null) {
      return fused.repairHost(repair);
    }
    RepairPlan plan = reports("plan repair").planRepair(repair);
    InstallResult result = onHost(() -> steps.install(plan));
    return reports("record repair").recordRepair(repair, plan, result);
  }

  /** Runs a step on the host; its failure is recorded on the host before it fails the host's outcome. */
  private <T> T onHost(Supplier<T> step) {
    try {
      return step.get();
    } catch (TemporalFailure f) {
      // batches of an older release recorded inside their fused SSH activities; replay must not add a step
      if (fused == null) {
        reports("record failure").recordHostFailure(hostId, ActivityFailures.kind(f), ActivityFailures.describe(f));
      }
      throw f;
    }
  }
}
