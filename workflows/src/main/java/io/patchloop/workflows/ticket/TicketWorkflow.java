package io.patchloop.workflows.ticket;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A scan or repair ticket: plans batches, runs one child workflow per batch one after the other,
 * and ends COMPLETED, ABNORMAL (suspension threshold reached) or CANCELLED. Its workflow id is the
 * ticket id.
 */
@WorkflowInterface
public interface TicketWorkflow {

  /** The workflow id of a ticket's batch, numbered from 1: where its {@link BatchWorkflow#hosts()} query goes. */
  static String batchWorkflowId(String ticketId, int batchNo) {
    return ticketId + "/batch-" + batchNo;
  }

  /** @param carried null on the first run; the state handed over by continue-as-new afterwards */
  @WorkflowMethod
  TicketResult run(TicketRequest request, TicketCarry carried);

  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  @SignalMethod
  void cancel();

  @QueryMethod
  TicketProgress progress();
}
