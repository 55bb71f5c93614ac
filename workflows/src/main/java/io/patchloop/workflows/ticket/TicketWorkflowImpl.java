package io.patchloop.workflows.ticket;

import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.host.HostStepOptions;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflow;
import io.patchloop.workflows.window.MaintenanceWindow;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The ticket: plans the batches (the same every replay: hosts were fixed at creation), runs one
 * child workflow per batch, one after the other, and forwards pause, resume and cancel to the
 * running batch. Continues as new every {@link #BATCHES_PER_RUN} batches so the history of a ticket
 * over ten thousand single-host batches stays bounded.
 */
public class TicketWorkflowImpl implements TicketWorkflow {

  private static final Logger log = Workflow.getLogger(TicketWorkflowImpl.class);

  static final int BATCHES_PER_RUN = 200;

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
  /** The ticket's maintenance window closed after it had entered it, and the window says END. */
  private boolean windowClosed;
  /** The ticket's batch hook did not answer 2xx: no batch starts any more. */
  private boolean batchHookFailed;
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
        showProgress();
        // a durable timer: the ticket starts on time even if every worker restarted meanwhile
        Workflow.await(Duration.ofMillis(request.startAtMillis() - Workflow.currentTimeMillis()), () -> cancelled);
      }
      records("record ticket started").ticketStarted(request.ticketId(), Workflow.currentTimeMillis());
    } else {
      first = carried.nextBatch();
      done = carried.done();
      paused = carried.paused();
      cancelled = carried.cancelled();
    }
    status = paused ? TicketStatus.PAUSED : TicketStatus.RUNNING;
    showProgress();

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
      if (windowEnded()) {
        windowClosed = true;
        break;
      }
      currentBatch = b + 1;
      showProgress();
      if (!callBatchHook(b, BatchHookCall.STARTING, null)) {
        break;
      }
      BatchResult batch = runBatch(b);
      done = done.plus(batch);
      showProgress();
      if (!callBatchHook(b, BatchHookCall.FINISHED, batch)) {
        b++;
        break;
      }
    }
    if (b < batches.size()) {
      done = done.plus(recordNotRun(b));
    }
    status = cancelled ? TicketStatus.CANCELLED
        : done.failed() >= threshold || batchHookFailed ? TicketStatus.ABNORMAL : TicketStatus.COMPLETED;
    finished = true;
    showProgress();
    TicketResult result = new TicketResult(status, request.hosts().size(), done.succeeded(), done.failed(), done.notRun());
    records("record ticket " + status).ticketFinished(request.ticketId(), result, Workflow.currentTimeMillis());
    // tickets that finished before notifications existed replay without this child
    if (Workflow.getVersion("notify-when-finished", Workflow.DEFAULT_VERSION, 1) >= 1) {
      notifyFinished();
    }
    if (request.window() != null) {
      notify(NotifyRequest.window(request.ticketId(), NotifyRequest.WindowPhase.ENDED, Workflow.currentTimeMillis()),
          "/window-ended", "notify: ticket " + request.ticketId() + " window ENDED");
    }
    return result;
  }

  /** Told by a child that outlives the ticket, so a slow or failing channel never holds the ticket up. */
  private void notifyFinished() {
    notify(NotifyRequest.ticketEnded(request.ticketId()), "/notify", "notify: ticket " + request.ticketId() + " "
        + status);
  }

  private void notify(NotifyRequest what, String idSuffix, String summary) {
    startNotification(request.ticketId() + idSuffix, summary, what);
  }

  /**
   * Starts a notification child that outlives its parent (ticket or batch), so a slow or failing
   * channel never holds the hosts up; waits only for its start.
   */
  static void startNotification(String workflowId, String summary, NotifyRequest what) {
    NotifyWorkflow notify = Workflow.newChildWorkflowStub(NotifyWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setStaticSummary(UiSummaries.summary(summary))
        .build());
    Async.procedure(notify::send, what);
    Workflow.getWorkflowExecution(notify).get();
  }

  private BatchResult runBatch(int index) {
    List<Long> hostIds = batches.get(index);
    BatchWorkflow batch = Workflow.newChildWorkflowStub(BatchWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(TicketWorkflow.batchWorkflowId(request.ticketId(), index + 1))
        // a batch never outlives its ticket: cancelling or terminating the ticket stops its batch too
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
        // what Temporal's Web UI lists the batch as; only shown, never replayed against the history
        .setStaticSummary(UiSummaries.batch(request.operation(), hostIds.size(),
            UiSummaries.baseline(request.labels(), request.baselineId()), index + 1, batches.size()))
        .build());
    Promise<BatchResult> result = Async.function(batch::run, new BatchRequest(request.ticketId(), index + 1,
        request.operation(), request.baselineId(), hostIds, Math.max(1, request.concurrency()),
        threshold == Integer.MAX_VALUE ? Integer.MAX_VALUE : threshold - done.failed(), request.rebootOption(),
        request.rebootTimeoutSeconds(), null,
        request.agents() == null ? null : request.agents().narrowedTo(hostIds),
        request.labels() == null ? null : request.labels().narrowedTo(hostIds), request.metadataRefresh(),
        request.hooks(), request.window(), windowEntered()));
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
        signalBatch(batch::cancel);
        forwardedCancel = true;
      }
      if (paused != forwardedPause) {
        signalBatch(paused ? batch::pause : batch::resume);
        forwardedPause = paused;
        recordPause();
      }
    }
  }

  /**
   * Forwards a signal to the running batch. A batch whose last host has just finished may have
   * closed before its result reaches this workflow: the signal then finds no workflow (NOT_FOUND),
   * which would fail the whole ticket; the batch needs no signal any more, and its result follows.
   * Seen when a cancel came right as the batch's host finished. Only that failure is passed over;
   * the command and its outcome are in the history, so a replay takes the same path.
   */
  private static void signalBatch(Runnable signal) {
    try {
      signal.run();
    } catch (ApplicationFailure e) {
      if (e.getType() == null || !e.getType().endsWith("EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND")) {
        throw e;
      }
      log.info("the batch had already ended when a signal was forwarded to it: {}", e.getOriginalMessage());
    }
  }

  /** The record activities, their call summarized for Temporal's Web UI; the batches' too. */
  static TicketRecordActivities records(String summary) {
    return Workflow.newActivityStub(TicketRecordActivities.class,
        HostStepOptions.summarized(HostStepOptions.RECORDS, summary));
  }

  private void recordPause() {
    if (paused != recordedPaused && !cancelled) {
      recordedPaused = paused;
      TicketStatus now = paused ? TicketStatus.PAUSED : TicketStatus.RUNNING;
      records("record ticket " + now).ticketStatus(request.ticketId(), now);
    }
  }

  /**
   * Calls the ticket's HTTP hook before or after a batch, when it has one. Anything but a 2xx
   * answer (after the activity's retries) stops the ticket: no batch starts after a hook that
   * failed, since what it should have done (drained, put back) is unknown.
   *
   * @return false when the hook failed
   */
  private boolean callBatchHook(int index, String event, BatchResult result) {
    if (!Boolean.TRUE.equals(request.batchHook())) {
      return true;
    }
    BatchResult counts = result == null ? BatchResult.empty() : result;
    BatchHookActivities hooks = Workflow.newActivityStub(BatchHookActivities.class, HostStepOptions.summarized(
        BATCH_HOOK, "batch hook " + event + " batch " + (index + 1)));
    try {
      hooks.callBatchHook(new BatchHookCall(request.ticketId(), event, index + 1, batches.size(), batches.get(index),
          counts.succeeded(), counts.failed(), counts.notRun()));
      return true;
    } catch (ActivityFailure f) {
      log.warn("ticket {}: the batch hook failed at {} of batch {}: {}", request.ticketId(), event, index + 1,
          ActivityFailures.message(f));
      batchHookFailed = true;
      return false;
    }
  }

  /** The batch hook's calls: a few tries over about a minute, none for a refusal (non-retryable). */
  private static final ActivityOptions BATCH_HOOK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2)).setBackoffCoefficient(2.0)
          .setMaximumAttempts(4).build())
      .build();

  /** A host of the ticket started already, so inside its window: what a window that says END ends. */
  private boolean windowEntered() {
    return done.succeeded() + done.failed() > 0;
  }

  /**
   * The ticket's window says END, the ticket has been inside it, and it is closed now: the next
   * batch would start no host (its batch checks the same before each host).
   */
  private boolean windowEnded() {
    MaintenanceWindow window = request.window();
    return window != null && window.onCloseOrDefault() == MaintenanceWindow.OnClose.END && windowEntered()
        && !window.at(Workflow.currentTimeMillis()).open();
  }

  /** Hosts of batches that never started, recorded as not run so the ticket accounts for every host. */
  private BatchResult recordNotRun(int fromBatch) {
    HostOutcome.NotRunReason why = cancelled ? HostOutcome.NotRunReason.CANCELLED
        : batchHookFailed ? HostOutcome.NotRunReason.BATCH_HOOK_FAILED
        : windowClosed ? HostOutcome.NotRunReason.WINDOW_CLOSED : HostOutcome.NotRunReason.SUSPENDED;
    List<HostOutcome> notRun = new ArrayList<>();
    for (int b = fromBatch; b < batches.size(); b++) {
      for (Long id : batches.get(b)) {
        notRun.add(HostOutcome.notRun(id, b + 1, why, false));
      }
    }
    int chunk = TicketRecordActivities.OUTCOMES_PER_CALL;
    for (int i = 0; i < notRun.size(); i += chunk) {
      List<HostOutcome> part = List.copyOf(notRun.subList(i, Math.min(notRun.size(), i + chunk)));
      records("record " + UiSummaries.hosts(part.size()) + " not run").hostOutcomes(request.ticketId(), part);
    }
    return new BatchResult(0, 0, notRun.size());
  }

  @Override
  public void pause() {
    if (!finished && !cancelled) {
      paused = true;
      status = TicketStatus.PAUSED;
      showProgress();
    }
  }

  @Override
  public void resume() {
    if (!finished) {
      paused = false;
      if (!cancelled) {
        status = TicketStatus.RUNNING;
      }
      showProgress();
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    if (!finished) {
      showProgress();
    }
  }

  /**
   * The ticket's progress as Temporal's Web UI shows it (current details): "batch 2/4 · 37/120
   * done · 3 failed · paused". Set whenever it changes; makes no command, so replays are unaffected.
   */
  private void showProgress() {
    if (request != null) {
      Workflow.setCurrentDetails(UiSummaries.ticketDetails(progress(), cancelled && !finished,
          request.startAtMillis()));
    }
  }

  @Override
  public TicketProgress progress() {
    return new TicketProgress(status, paused, batches.size(), currentBatch,
        request == null ? 0 : request.hosts().size(), done.succeeded(), done.failed(), done.notRun(),
        threshold);
  }
}
