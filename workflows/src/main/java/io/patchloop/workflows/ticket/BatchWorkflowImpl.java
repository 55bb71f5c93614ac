package io.patchloop.workflows.ticket;

import io.patchloop.workflows.ActivityFailures;
import io.patchloop.workflows.host.FusedSshActivities;
import io.patchloop.workflows.host.HostStepOptions;
import io.patchloop.workflows.host.HostSteps;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.window.MaintenanceWindow;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch: starts hosts in order, at most {@code concurrency} at a time, and stops starting them
 * when cancelled or when its failures use up the ticket's remaining failure budget; hosts already
 * running always finish. Each host runs the one {@link HostPipeline}, whether it is reached over
 * SSH or through its agent. Continues as new after {@link #HOSTS_PER_RUN} hosts, or sooner when
 * Temporal suggests it (a history grown large from big payloads), so that a batch of ten thousand
 * hosts keeps a short history.
 */
public class BatchWorkflowImpl implements BatchWorkflow {

  /**
   * Hosts per run. A host of the one pipeline takes two activities or more (host step, central
   * step), so a run holds fewer of them than the fused steps of before did, for the same short history.
   */
  static final int HOSTS_PER_RUN = 500;
  /** Hosts per run of a batch started by an older release, which replays only with its own number. */
  private static final int HOSTS_PER_RUN_BEFORE_ONE_PIPELINE = 1000;
  /**
   * Marks the one host pipeline (host steps plus central steps for SSH hosts too). Without it an
   * SSH host runs the fused activities of the release before, so that batches it started replay.
   */
  static final String ONE_HOST_PIPELINE = "one-host-pipeline";

  private final Map<Long, HostOutcome> outcomes = new LinkedHashMap<>();
  /** Started by a release before the one host pipeline: see {@link #ONE_HOST_PIPELINE}. */
  private boolean olderRelease;
  private boolean paused;
  private boolean cancelled;
  private int running;
  private int succeeded;
  private int failed;
  /** Counts of this batch's earlier runs (continue-as-new), and its hosts over every run: for the UI's current details. */
  private BatchResult before = BatchResult.empty();
  private int batchHosts;
  private boolean outOfBudget;
  /** A host of the ticket has started inside its maintenance window. */
  private boolean windowEntered;
  /** The window closed after the ticket had entered it, and the window says END: no host starts any more. */
  private boolean windowClosed;
  /** This batch recorded the ticket as WAITING for its window. */
  private boolean waitingRecorded;

  @Override
  public BatchResult run(BatchRequest request) {
    before = request.carried() == null ? BatchResult.empty() : request.carried();
    List<Long> hostIds = request.hostIds();
    batchHosts = before.succeeded() + before.failed() + before.notRun() + hostIds.size();
    olderRelease = Workflow.getVersion(ONE_HOST_PIPELINE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION;
    int thisRun = Math.min(hostIds.size(), olderRelease ? HOSTS_PER_RUN_BEFORE_ONE_PIPELINE : HOSTS_PER_RUN);
    for (Long id : hostIds) {
      outcomes.put(id, HostOutcome.pending(id, request.batchNo()));
    }
    int budget = request.failureBudget();
    showProgress();
    windowEntered = request.windowEntered();
    int started = 0;
    while (started < thisRun) {
      Workflow.await(() -> cancelled || failed >= budget || (!paused && running < request.concurrency()));
      if (cancelled || failed >= budget) {
        outOfBudget = failed >= budget;
        showProgress();
        break;
      }
      if (!olderRelease && started > 0 && Workflow.getInfo().isContinueAsNewSuggested()) {
        // the server finds the history large (big inventories or plans in it): hand over before the limit
        break;
      }
      if (request.window() != null && !windowOpen(request)) {
        if (windowClosed) {
          break;
        }
        continue; // it waited for the opening (or was cancelled meanwhile): every condition again
      }
      start(request, hostIds.get(started));
      if (request.window() != null && !windowEntered) {
        notifyWindow(request, NotifyRequest.WindowPhase.STARTED, Workflow.currentTimeMillis());
      }
      windowEntered = true;
      started++;
    }
    Workflow.await(() -> running == 0);

    boolean stopped = cancelled || failed >= budget || windowClosed;
    if (!stopped && started < hostIds.size()) {
      record(request.ticketId(), hostIds.subList(0, started));
      BatchResult soFar = before.plus(new BatchResult(succeeded, failed, 0));
      List<Long> rest = hostIds.subList(started, hostIds.size());
      Workflow.continueAsNew(new BatchRequest(request.ticketId(), request.batchNo(), request.operation(),
          request.baselineId(), List.copyOf(rest), request.concurrency(), budget - failed, request.rebootOption(),
          request.rebootTimeoutSeconds(), soFar, request.agents() == null ? null : request.agents().narrowedTo(rest),
          request.labels() == null ? null : request.labels().narrowedTo(rest), request.metadataRefresh(),
          request.hooks(), request.window(), windowEntered));
    }
    int notRun = 0;
    HostOutcome.NotRunReason why = windowClosed && !cancelled ? HostOutcome.NotRunReason.WINDOW_CLOSED
        : HostOutcome.NotRunReason.of(cancelled);
    for (Long id : hostIds) {
      if (outcomes.get(id).state() == HostOutcome.State.PENDING) {
        outcomes.put(id, HostOutcome.notRun(id, request.batchNo(), why, true));
        notRun++;
      }
    }
    record(request.ticketId(), hostIds);
    showProgress(notRun);
    return before.plus(new BatchResult(succeeded, failed, notRun));
  }

  /**
   * Whether a host may start now under the ticket's maintenance window. Outside it, running hosts
   * go on to their end; the batch records the ticket as WAITING and sleeps on a durable timer until
   * the next opening (or a cancel), or, when the window says END and the ticket has been inside
   * it, stops starting hosts for good.
   *
   * @return true when the window is open; false after waiting (the caller checks everything again)
   *     or when the window ended the ticket ({@link #windowClosed})
   */
  private boolean windowOpen(BatchRequest request) {
    MaintenanceWindow window = request.window();
    MaintenanceWindow.State now = window.at(Workflow.currentTimeMillis());
    if (now.open()) {
      if (waitingRecorded) {
        waitingRecorded = false;
        TicketWorkflowImpl.records("record ticket running: window " + window.name() + " open")
            .ticketWaiting(request.ticketId(), null);
        notifyWindow(request, NotifyRequest.WindowPhase.RESUMED, Workflow.currentTimeMillis());
      }
      return true;
    }
    if (window.onCloseOrDefault() == MaintenanceWindow.OnClose.END && windowEntered) {
      windowClosed = true;
      return false;
    }
    String why = "maintenance window " + window.name() + ", opens at " + opensAt(window, now.changesAtMillis());
    waitingRecorded = true;
    TicketWorkflowImpl.records("record ticket waiting for window " + window.name())
        .ticketWaiting(request.ticketId(), why);
    notifyWindow(request, NotifyRequest.WindowPhase.WAITING, now.changesAtMillis());
    waitingFor = why;
    showProgress();
    Workflow.await(Duration.ofMillis(Math.max(0, now.changesAtMillis() - Workflow.currentTimeMillis())),
        () -> cancelled);
    waitingFor = null;
    showProgress();
    return false;
  }

  private void notifyWindow(BatchRequest request, NotifyRequest.WindowPhase phase, long atMillis) {
    String id = request.ticketId() + "/window-" + phase.name().toLowerCase(java.util.Locale.ROOT) + "-"
        + Workflow.currentTimeMillis();
    TicketWorkflowImpl.startNotification(id, "notify: ticket " + request.ticketId() + " window " + phase,
        NotifyRequest.window(request.ticketId(), phase, atMillis));
  }

  /** "2026-12-06 02:00 Asia/Shanghai (2026-12-05T18:00:00Z)": the window's own clock, and UTC. */
  static String opensAt(MaintenanceWindow window, long millis) {
    Instant at = Instant.ofEpochMilli(millis);
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(at.atZone(ZoneId.of(window.timeZone()))) + " "
        + window.timeZone() + " (" + at + ")";
  }

  /** Why the batch waits, for Temporal's Web UI; null while it runs. */
  private String waitingFor;

  /** The batch's progress as Temporal's Web UI shows it (current details); makes no command. */
  private void showProgress() {
    showProgress(0);
  }

  private void showProgress(int notRun) {
    int done = before.succeeded() + before.failed() + before.notRun() + succeeded + failed + notRun;
    String details = UiSummaries.batchDetails(done, batchHosts, before.failed() + failed,
        before.notRun() + notRun, running, paused, cancelled, outOfBudget);
    Workflow.setCurrentDetails(waitingFor == null ? details : details + " · waiting for " + waitingFor);
  }

  private void start(BatchRequest request, long hostId) {
    running++;
    long startedAt = Workflow.currentTimeMillis();
    int batch = request.batchNo();
    outcomes.put(hostId, HostOutcome.running(hostId, batch, startedAt, null));
    boolean viaAgent = request.agents() != null && request.agents().routes(hostId);
    if (viaAgent) {
      // agent batches recorded this marker since agents came; it stays so they replay
      Workflow.getVersion("agent-access", Workflow.DEFAULT_VERSION, 1);
    }
    // agent hosts ran these very steps before the marker too; only SSH hosts ran fused activities
    String label = TicketLabels.host(request.labels(), hostId);
    FusedSshActivities fused = olderRelease && !viaAgent ? fusedSsh(request.operation(), label) : null;
    HostSteps steps = viaAgent ? HostSteps.throughAgent(hostId, request.agents(), label)
        : HostSteps.overSsh(hostId, label);
    HostPipeline pipeline = new HostPipeline(request, hostId, startedAt, steps, fused,
        step -> outcomes.put(hostId, HostOutcome.running(hostId, batch, startedAt, step)), label);
    Promise<HostOutcome> work = Async.function(pipeline::run);
    work.handle((done, failure) -> {
      running--;
      HostOutcome o = failure == null ? done : HostOutcome.failed(hostId, batch, ActivityFailures.kind(failure),
          ActivityFailures.describe(failure), null, startedAt, Workflow.currentTimeMillis(),
          outcomes.get(hostId).detail());
      if (o.state() == HostOutcome.State.SUCCEEDED) {
        succeeded++;
      } else {
        failed++;
      }
      outcomes.put(hostId, o);
      showProgress();
      return null;
    });
    showProgress();
  }

  private static FusedSshActivities fusedSsh(Operation operation, String label) {
    return Workflow.newActivityStub(FusedSshActivities.class, HostStepOptions.summarized(HostStepOptions.FUSED_SSH,
        UiSummaries.step(operation == Operation.SCAN ? "scan" : "repair", label)));
  }

  private void record(String ticketId, List<Long> hostIds) {
    List<HostOutcome> list = new ArrayList<>();
    for (Long id : hostIds) {
      list.add(outcomes.get(id));
    }
    int chunk = TicketRecordActivities.OUTCOMES_PER_CALL;
    for (int i = 0; i < list.size(); i += chunk) {
      List<HostOutcome> part = List.copyOf(list.subList(i, Math.min(list.size(), i + chunk)));
      TicketWorkflowImpl.records("record the outcomes of " + UiSummaries.hosts(part.size()))
          .hostOutcomes(ticketId, part);
    }
  }

  @Override
  public void pause() {
    paused = true;
    showProgress();
  }

  @Override
  public void resume() {
    paused = false;
    showProgress();
  }

  @Override
  public void cancel() {
    cancelled = true;
    showProgress();
  }

  @Override
  public List<HostOutcome> hosts() {
    return List.copyOf(outcomes.values());
  }
}
