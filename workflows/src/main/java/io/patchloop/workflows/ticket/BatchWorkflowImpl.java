package io.patchloop.workflows.ticket;

import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.RebootActivities;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairActivities;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch: starts hosts in order, at most {@code concurrency} at a time, and stops starting them
 * when cancelled or when its failures use up the ticket's remaining failure budget; hosts already
 * running always finish. Continues as new after {@link #HOSTS_PER_RUN} hosts so that a batch of ten
 * thousand hosts keeps a short history.
 */
public class BatchWorkflowImpl implements BatchWorkflow {

  static final int HOSTS_PER_RUN = 1000;
  static final int DEFAULT_REBOOT_TIMEOUT_SECONDS = 600;
  private static final int RECORD_CHUNK = 500;

  private final ScanActivities scans = Workflow.newActivityStub(ScanActivities.class, HostStepActivities.SCAN);
  private final RepairActivities repairs = Workflow.newActivityStub(RepairActivities.class, HostStepActivities.REPAIR);
  private final HostSteps sshSteps = new SshHostSteps(scans, repairs,
      Workflow.newActivityStub(RebootActivities.class, HostStepActivities.REBOOT_REQUEST));
  private final TicketRecordActivities records =
      Workflow.newActivityStub(TicketRecordActivities.class, HostStepActivities.RECORDS);

  private final Map<Long, HostOutcome> outcomes = new LinkedHashMap<>();
  private boolean paused;
  private boolean cancelled;
  private int running;
  private int succeeded;
  private int failed;

  @Override
  public BatchResult run(BatchRequest request) {
    BatchResult before = request.carried() == null ? BatchResult.empty() : request.carried();
    List<Long> hostIds = request.hostIds();
    int thisRun = Math.min(hostIds.size(), HOSTS_PER_RUN);
    for (int i = 0; i < hostIds.size(); i++) {
      outcomes.put(hostIds.get(i), outcome(hostIds.get(i), request.batchNo(), HostOutcome.PENDING, null, null, null, 0, 0,
          null));
    }
    int budget = request.failureBudget();
    int started = 0;
    for (; started < thisRun; started++) {
      Workflow.await(() -> cancelled || failed >= budget || (!paused && running < request.concurrency()));
      if (cancelled || failed >= budget) {
        break;
      }
      start(request, hostIds.get(started));
    }
    Workflow.await(() -> running == 0);

    boolean stopped = cancelled || failed >= budget;
    if (!stopped && thisRun < hostIds.size()) {
      record(request.ticketId(), hostIds.subList(0, thisRun));
      BatchResult soFar = before.plus(new BatchResult(succeeded, failed, 0));
      Workflow.continueAsNew(new BatchRequest(request.ticketId(), request.batchNo(), request.operation(),
          request.baselineId(), List.copyOf(hostIds.subList(thisRun, hostIds.size())), request.concurrency(),
          budget - failed, request.rebootOption(), request.rebootTimeoutSeconds(), soFar,
          request.agents() == null ? null : request.agents().narrowedTo(hostIds.subList(thisRun, hostIds.size()))));
    }
    int notRun = 0;
    for (Long id : hostIds) {
      if (outcomes.get(id).state().equals(HostOutcome.PENDING)) {
        outcomes.put(id, outcome(id, request.batchNo(), HostOutcome.NOT_RUN, null,
            cancelled ? "the ticket was cancelled before this host started"
                : "the ticket's suspension threshold was reached before this host started", null, 0, 0, null));
        notRun++;
      }
    }
    record(request.ticketId(), hostIds);
    return before.plus(new BatchResult(succeeded, failed, notRun));
  }

  private void start(BatchRequest request, long hostId) {
    running++;
    long startedAt = Workflow.currentTimeMillis();
    outcomes.put(hostId, outcome(hostId, request.batchNo(), HostOutcome.RUNNING, null, null, null, startedAt, 0, null));
    Promise<HostOutcome> work;
    if (request.agents() != null && request.agents().routes(hostId)) {
      // Only tickets created with agent hosts take this branch, so histories from before agents
      // existed replay unchanged; the version marks the agent steps for their own later changes.
      Workflow.getVersion("agent-access", Workflow.DEFAULT_VERSION, 1);
      HostSteps steps = new AgentHostSteps(hostId, request.agents(), scans, repairs);
      work = Async.function(() -> request.operation() == Operation.SCAN
          ? scan(steps, request, hostId, startedAt) : repair(steps, request, hostId, startedAt));
    } else if (request.operation() == Operation.SCAN) {
      work = Async.function(scans::scanHost, new ScanRequest(hostId, request.baselineId(), request.ticketId()))
          .thenApply(summary -> outcome(hostId, request.batchNo(), HostOutcome.SUCCEEDED, null, null, summary.status(),
              startedAt, Workflow.currentTimeMillis(), null));
    } else {
      work = Async.function(() -> repair(sshSteps, request, hostId, startedAt));
    }
    work.handle((done, failure) -> {
      running--;
      HostOutcome o = failure == null ? done : outcome(hostId, request.batchNo(), HostOutcome.FAILED,
          ActivityFailures.kind(failure), ActivityFailures.message(failure), null, startedAt,
          Workflow.currentTimeMillis(), outcomes.get(hostId).detail());
      if (o.state().equals(HostOutcome.SUCCEEDED)) {
        succeeded++;
      } else {
        failed++;
      }
      outcomes.put(hostId, o);
      return null;
    });
  }

  /**
   * One host's repair: install, then, when a patch waits for a reboot and the ticket allows it,
   * reboot as its own steps (ask, wait for the new boot) and scan again so the report shows what
   * the new boot runs. A host some of whose patches failed is FAILED (it counts toward the
   * threshold) even though its other patches went in.
   */
  private HostOutcome repair(HostSteps steps, BatchRequest request, long hostId, long startedAt) {
    RepairSummary r = steps.repair(new RepairRequest(hostId, request.baselineId(), request.ticketId()));
    String status = r.status();
    StringBuilder detail = new StringBuilder(r.planned() == 0 ? "nothing to install"
        : "installed " + r.installed() + " of " + r.planned() + " patches");
    if (r.needsReboot()) {
      if (request.rebootOption() == RebootOption.REBOOT_IF_NEEDED) {
        live(request, hostId, startedAt, detail + "; rebooting");
        BootMark before = steps.requestReboot(hostId);
        int timeout = request.rebootTimeoutSeconds() > 0 ? request.rebootTimeoutSeconds() : DEFAULT_REBOOT_TIMEOUT_SECONDS;
        steps.awaitReboot(hostId, before, timeout);
        live(request, hostId, startedAt, detail + "; rebooted, scanning again");
        ScanSummary after = steps.scan(new ScanRequest(hostId, r.baselineId(), request.ticketId(), "REPAIR"));
        status = after.status();
        detail.append("; rebooted and scanned again");
      } else {
        detail.append("; reboot pending (NO_REBOOT)");
      }
    }
    long finishedAt = Workflow.currentTimeMillis();
    if (r.failed() > 0) {
      String which = String.join(", ", r.failedPatches()) + (r.failed() > r.failedPatches().size()
          ? " and " + (r.failed() - r.failedPatches().size()) + " more" : "");
      return outcome(hostId, request.batchNo(), HostOutcome.FAILED, "PATCHES_FAILED",
          r.failed() + " of " + r.planned() + " patches failed to install: " + which
              + " (the host's report has the package manager's error for each)",
          status, startedAt, finishedAt, detail.toString());
    }
    return outcome(hostId, request.batchNo(), HostOutcome.SUCCEEDED, null, null, status, startedAt, finishedAt,
        detail.toString());
  }

  /** An agent host's scan: the same outcome as the SSH path's, from the agent's steps. */
  private HostOutcome scan(HostSteps steps, BatchRequest request, long hostId, long startedAt) {
    ScanSummary summary = steps.scan(new ScanRequest(hostId, request.baselineId(), request.ticketId()));
    return outcome(hostId, request.batchNo(), HostOutcome.SUCCEEDED, null, null, summary.status(), startedAt,
        Workflow.currentTimeMillis(), null);
  }

  /** The running host's current step, for the progress query. */
  private void live(BatchRequest request, long hostId, long startedAt, String step) {
    outcomes.put(hostId, outcome(hostId, request.batchNo(), HostOutcome.RUNNING, null, null, null, startedAt, 0, step));
  }

  private void record(String ticketId, List<Long> hostIds) {
    List<HostOutcome> list = new ArrayList<>();
    for (Long id : hostIds) {
      list.add(outcomes.get(id));
    }
    for (int i = 0; i < list.size(); i += RECORD_CHUNK) {
      records.hostOutcomes(ticketId, List.copyOf(list.subList(i, Math.min(list.size(), i + RECORD_CHUNK))));
    }
  }

  private static HostOutcome outcome(long hostId, int batch, String state, String errorKind, String message,
      String compliance, long startedAt, long finishedAt, String detail) {
    return new HostOutcome(hostId, batch, state, errorKind, message, compliance, startedAt, finishedAt, detail);
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public List<HostOutcome> hosts() {
    return List.copyOf(outcomes.values());
  }
}
