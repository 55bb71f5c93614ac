package io.patchloop.worker.tickets;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A ticket always ends. A workflow that fails, times out, is terminated or is lost (the embedded
 * Temporal server keeps nothing across restarts) cannot record its own end, so its ticket would
 * stay RUNNING forever. This looks at every ticket not ended yet, asks Temporal about its
 * workflow, and ends those whose workflow is closed or gone: FAILED with the reason, the hosts
 * that had not finished NOT_RUN, and the ticket-ended notifications and callback sent as for any
 * other end. Runs in the worker (where the notification activities are); idempotent, so two
 * workers doing it at once do no harm.
 */
@Component
public class TicketReconciler {

  private static final Logger log = LoggerFactory.getLogger(TicketReconciler.class);
  private static final String GONE =
      "its workflow is gone from Temporal (the embedded server restarted, or the history was deleted)";

  private final TicketStore tickets;
  private final WorkflowClient temporal;
  private final Clock clock;
  private final Duration grace;

  /**
   * @param grace how old a ticket must be before a missing workflow ends it: the launcher writes the
   *     ticket a moment before it starts the workflow
   */
  public TicketReconciler(TicketStore tickets, WorkflowClient temporal, Clock clock,
      @Value("${patchloop.tickets.reconcile-grace:2m}") Duration grace) {
    this.tickets = tickets;
    this.temporal = temporal;
    this.clock = clock;
    this.grace = grace;
  }

  @Scheduled(initialDelayString = "${patchloop.tickets.reconcile-interval:60s}",
      fixedDelayString = "${patchloop.tickets.reconcile-interval:60s}")
  public void reconcile() {
    for (String id : tickets.unfinishedCreatedBefore(clock.instant().minus(grace))) {
      try {
        endedWorkflow(id).ifPresent(reason -> end(id, reason));
      } catch (RuntimeException e) {
        // Temporal or the database out of reach: the next round tries again
        log.warn("could not check the workflow of ticket {}: {}", id, e.toString());
      }
    }
  }

  /** Why the ticket's workflow will never end the ticket, or empty while it still can. */
  Optional<String> endedWorkflow(String id) {
    WorkflowExecutionStatus status;
    try {
      status = temporal.newUntypedWorkflowStub(id).describe().getStatus();
    } catch (WorkflowNotFoundException gone) {
      return Optional.of(GONE);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.of(GONE);
      }
      throw e;
    }
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_FAILED -> Optional.of("its workflow failed: " + closingWords(id));
      case WORKFLOW_EXECUTION_STATUS_TERMINATED -> Optional.of("its workflow was terminated: " + closingWords(id));
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> Optional.of("its workflow timed out");
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> Optional.of("its workflow was cancelled in Temporal");
      // running, continued as new, or completed (it recorded its own end): nothing to do
      default -> Optional.empty();
    };
  }

  /** The failure's message or the termination's reason, from the workflow's last event. */
  private String closingWords(String id) {
    HistoryEvent last = temporal.fetchHistory(id).getLastEvent();
    String words = last.hasWorkflowExecutionTerminatedEventAttributes()
        ? last.getWorkflowExecutionTerminatedEventAttributes().getReason()
        : last.hasWorkflowExecutionFailedEventAttributes()
            ? last.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage() : "";
    return words.isBlank() ? "(no reason given)" : words;
  }

  private void end(String id, String reason) {
    if (!tickets.markFailed(id, reason, clock.instant())) {
      return; // it ended on its own in the meantime
    }
    log.warn("ticket {} ended FAILED: {}", id, reason);
    NotifyWorkflow notify = temporal.newWorkflowStub(NotifyWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(id + "/notify") // the id a finished ticket's own notification child has
        .setTaskQueue(TaskQueues.TICKETS)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build());
    try {
      WorkflowClient.start(notify::send, NotifyRequest.ticketEnded(id));
    } catch (WorkflowExecutionAlreadyStarted sent) {
      log.info("ticket {}: its notifications were sent already", id);
    }
  }
}
