package io.patchloop.workflows.ticket;

import io.patchloop.workflows.host.HostStepOptions;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ticket: plans the batches (the same every replay: hosts were fixed at creation), runs one
 * child workflow per batch, one after the other, and forwards pause, resume and cancel to the
 * running batch. Continues as new every {@link #BATCHES_PER_RUN} batches so the history of a ticket
 * over ten thousand single-host batches stays bounded.
 */
public class TicketWorkflowImpl implements TicketWorkflow {

  static final int BATCHES_PER_RUN = 200;

  private final TicketRecordActivities records =
      Workflow.newActivityStub(TicketRecordActivities.class, HostStepOptions.RECORDS);

  private TicketRequest request;
  private List<List<Long>> batches = List.of();
  private int currentBatch;
  private BatchResult done = BatchResult.empty();
  private int threshold = Integer.MAX_VALUE;
  private boolean paused;
  /** What the ticket's record in MySQL says, so listings show a pause too (not only the live query). */
  private boolean recordedPaused;
  private boolean cancelled;
  private boolean finished;
  private TicketStatus status = TicketStatus.CREATED;

  @Override
  public TicketResult run(TicketRequest request, TicketCarry carried) {
    this.request = request;
    this.batches = BatchPlanner.plan(request.hosts(), request.batch());
    this.threshold = request.suspension() == null ? Integer.MAX_VALUE
        : request.suspension().threshold(request.hosts().size());
    int first = 0;
    if (carried == null) {
      if (request.startAtMillis() > Workflow.currentTimeMillis()) {
        status = TicketStatus.SCHEDULED;
        // a durable timer: the ticket starts on time even if every worker restarted meanwhile
        Workflow.await(Duration.ofMillis(request.startAtMillis() - Workflow.currentTimeMillis()), () -> cancelled);
      }
      records.ticketStarted(request.ticketId(), Workflow.currentTimeMillis());
    } else {
      first = carried.nextBatch();
      done = carried.done();
      paused = carried.paused();
      cancelled = carried.cancelled();
    }
    status = paused ? TicketStatus.PAUSED : TicketStatus.RUNNING;

    int b = first;
    for (; b < batches.size(); b++) {
      if (b - first >= BATCHES_PER_RUN) {
        Workflow.continueAsNew(request, new TicketCarry(b, done, paused, cancelled));
      }
      recordPause();
      Workflow.await(() -> cancelled || !paused);
      recordPause();
      if (cancelled || done.failed() >= threshold) {
        break;
      }
      currentBatch = b + 1;
      done = done.plus(runBatch(b));
    }
    if (b < batches.size()) {
      done = done.plus(recordNotRun(b));
    }
    status = cancelled ? TicketStatus.CANCELLED
        : done.failed() >= threshold ? TicketStatus.ABNORMAL : TicketStatus.COMPLETED;
    finished = true;
    TicketResult result = new TicketResult(status, request.hosts().size(), done.succeeded(), done.failed(), done.notRun());
    records.ticketFinished(request.ticketId(), result, Workflow.currentTimeMillis());
    // tickets that finished before notifications existed replay without this child
    if (Workflow.getVersion("notify-when-finished", Workflow.DEFAULT_VERSION, 1) >= 1) {
      notifyFinished();
    }
    return result;
  }

  /** Told by a child that outlives the ticket, so a slow or failing channel never holds the ticket up. */
  private void notifyFinished() {
    NotifyWorkflow notify = Workflow.newChildWorkflowStub(NotifyWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(request.ticketId() + "/notify")
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build());
    Async.procedure(notify::send, NotifyRequest.ticketEnded(request.ticketId()));
    Workflow.getWorkflowExecution(notify).get();
  }

  private BatchResult runBatch(int index) {
    BatchWorkflow batch = Workflow.newChildWorkflowStub(BatchWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(TicketWorkflow.batchWorkflowId(request.ticketId(), index + 1))
        // a batch never outlives its ticket: cancelling or terminating the ticket stops its batch too
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
        .build());
    Promise<BatchResult> result = Async.function(batch::run, new BatchRequest(request.ticketId(), index + 1,
        request.operation(), request.baselineId(), batches.get(index), Math.max(1, request.concurrency()),
        threshold == Integer.MAX_VALUE ? Integer.MAX_VALUE : threshold - done.failed(), request.rebootOption(),
        request.rebootTimeoutSeconds(), null,
        request.agents() == null ? null : request.agents().narrowedTo(batches.get(index))));
    Workflow.getWorkflowExecution(batch).get();
    boolean forwardedPause = false;
    boolean forwardedCancel = false;
    while (true) {
      boolean pauseState = forwardedPause;
      boolean cancelState = forwardedCancel;
      Workflow.await(() -> result.isCompleted() || paused != pauseState || cancelled != cancelState);
      if (result.isCompleted()) {
        return result.get();
      }
      if (cancelled && !forwardedCancel) {
        batch.cancel();
        forwardedCancel = true;
      }
      if (paused != forwardedPause) {
        if (paused) {
          batch.pause();
        } else {
          batch.resume();
        }
        forwardedPause = paused;
        recordPause();
      }
    }
  }

  private void recordPause() {
    if (paused != recordedPaused && !cancelled) {
      recordedPaused = paused;
      records.ticketStatus(request.ticketId(), paused ? TicketStatus.PAUSED : TicketStatus.RUNNING);
    }
  }

  /** Hosts of batches that never started, recorded as not run so the ticket accounts for every host. */
  private BatchResult recordNotRun(int fromBatch) {
    HostOutcome.NotRunReason why = HostOutcome.NotRunReason.of(cancelled);
    List<HostOutcome> notRun = new ArrayList<>();
    for (int b = fromBatch; b < batches.size(); b++) {
      for (Long id : batches.get(b)) {
        notRun.add(HostOutcome.notRun(id, b + 1, why, false));
      }
    }
    int chunk = TicketRecordActivities.OUTCOMES_PER_CALL;
    for (int i = 0; i < notRun.size(); i += chunk) {
      records.hostOutcomes(request.ticketId(), List.copyOf(notRun.subList(i, Math.min(notRun.size(), i + chunk))));
    }
    return new BatchResult(0, 0, notRun.size());
  }

  @Override
  public void pause() {
    if (!finished && !cancelled) {
      paused = true;
      status = TicketStatus.PAUSED;
    }
  }

  @Override
  public void resume() {
    if (!finished) {
      paused = false;
      if (!cancelled) {
        status = TicketStatus.RUNNING;
      }
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public TicketProgress progress() {
    return new TicketProgress(status, paused, batches.size(), currentBatch,
        request == null ? 0 : request.hosts().size(), done.succeeded(), done.failed(), done.notRun(),
        threshold);
  }
}
