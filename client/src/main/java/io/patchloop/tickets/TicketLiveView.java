package io.patchloop.tickets;

import io.patchloop.common.ConflictException;
import io.patchloop.common.WorkflowQueries;
import io.patchloop.workflows.ticket.BatchWorkflow;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.TicketProgress;
import io.patchloop.workflows.ticket.TicketWorkflow;
import io.temporal.client.WorkflowClient;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * A running ticket as its workflows tell it, and the signals a person sends it. The stored ticket
 * says whether it still runs: a finished ticket's workflow is neither asked nor signalled.
 */
@Service
public class TicketLiveView {

  private final TicketStore tickets;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;

  public TicketLiveView(TicketStore tickets, ObjectProvider<WorkflowClient> temporalClient) {
    this.tickets = tickets;
    this.temporalClient = temporalClient;
  }

  /** The workflow's answer to the progress query, and the live state of the running batch's hosts. */
  public record Live(TicketProgress progress, List<HostOutcome> currentBatchHosts) {}

  /**
   * Live progress of a running ticket, with its running batch's hosts; null once finished, or when
   * no worker answers in time ({@link WorkflowQueries}).
   */
  public Live live(String id) {
    if (tickets.get(id).status().finished()) {
      return null;
    }
    TicketProgress progress = WorkflowQueries.within(
        () -> temporal().newWorkflowStub(TicketWorkflow.class, id).progress(), "ticket " + id);
    if (progress == null) {
      return null;
    }
    List<HostOutcome> batchHosts = List.of();
    if (progress.currentBatch() > 0 && !progress.status().finished()) {
      List<HostOutcome> answer = WorkflowQueries.within(() -> temporal().newWorkflowStub(BatchWorkflow.class,
          TicketWorkflow.batchWorkflowId(id, progress.currentBatch())).hosts(), "ticket " + id);
      batchHosts = answer == null ? List.of() : answer;
    }
    return new Live(progress, batchHosts);
  }

  public void pause(String id) {
    running(id).pause();
  }

  public void resume(String id) {
    running(id).resume();
  }

  public void cancel(String id) {
    running(id).cancel();
  }

  private TicketWorkflow running(String id) {
    TicketStore.TicketRow row = tickets.get(id);
    if (row.status().finished()) {
      throw new ConflictException("id", "ticket " + id + " has already ended (" + row.status() + ")");
    }
    return temporal().newWorkflowStub(TicketWorkflow.class, id);
  }

  private WorkflowClient temporal() {
    return temporalClient.getObject();
  }
}
