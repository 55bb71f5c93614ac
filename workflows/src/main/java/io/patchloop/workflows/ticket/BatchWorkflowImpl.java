package io.patchloop.workflows.ticket;

import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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
  private static final int RECORD_CHUNK = 500;

  private final ScanActivities scans = Workflow.newActivityStub(ScanActivities.class, HostStepActivities.SCAN);
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
    if (request.operation() != Operation.SCAN) {
      throw ApplicationFailure.newNonRetryableFailure(request.operation() + " is not supported yet", "UNSUPPORTED");
    }
    BatchResult before = request.carried() == null ? BatchResult.empty() : request.carried();
    List<Long> hostIds = request.hostIds();
    int thisRun = Math.min(hostIds.size(), HOSTS_PER_RUN);
    for (int i = 0; i < hostIds.size(); i++) {
      outcomes.put(hostIds.get(i), outcome(hostIds.get(i), request.batchNo(), HostOutcome.PENDING, null, null, null, 0, 0));
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
          budget - failed, request.rebootOption(), soFar));
    }
    int notRun = 0;
    for (Long id : hostIds) {
      if (outcomes.get(id).state().equals(HostOutcome.PENDING)) {
        outcomes.put(id, outcome(id, request.batchNo(), HostOutcome.NOT_RUN, null,
            cancelled ? "the ticket was cancelled before this host started"
                : "the ticket's suspension threshold was reached before this host started", null, 0, 0));
        notRun++;
      }
    }
    record(request.ticketId(), hostIds);
    return before.plus(new BatchResult(succeeded, failed, notRun));
  }

  private void start(BatchRequest request, long hostId) {
    running++;
    long startedAt = Workflow.currentTimeMillis();
    outcomes.put(hostId, outcome(hostId, request.batchNo(), HostOutcome.RUNNING, null, null, null, startedAt, 0));
    Promise<ScanSummary> scan =
        Async.function(scans::scanHost, new ScanRequest(hostId, request.baselineId(), request.ticketId()));
    scan.handle((summary, failure) -> {
      running--;
      long finishedAt = Workflow.currentTimeMillis();
      if (failure == null) {
        succeeded++;
        outcomes.put(hostId, outcome(hostId, request.batchNo(), HostOutcome.SUCCEEDED, null, null, summary.status(),
            startedAt, finishedAt));
      } else {
        failed++;
        outcomes.put(hostId, outcome(hostId, request.batchNo(), HostOutcome.FAILED, errorKind(failure),
            errorMessage(failure), null, startedAt, finishedAt));
      }
      return null;
    });
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

  /** The application failure's type (UNREACHABLE, AUTH_FAILED, ...), or TIMEOUT when the activity itself timed out. */
  static String errorKind(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return app.getType();
    }
    if (cause instanceof io.temporal.failure.TimeoutFailure) {
      return "TIMEOUT";
    }
    return cause == null ? "UNKNOWN" : cause.getClass().getSimpleName();
  }

  static String errorMessage(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a && a.getCause() != null ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause.getMessage();
  }

  private static HostOutcome outcome(long hostId, int batch, String state, String errorKind, String message,
      String compliance, long startedAt, long finishedAt) {
    return new HostOutcome(hostId, batch, state, errorKind, message, compliance, startedAt, finishedAt);
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
