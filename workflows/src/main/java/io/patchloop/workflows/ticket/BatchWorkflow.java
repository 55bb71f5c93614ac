package io.patchloop.workflows.ticket;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Runs the hosts of one batch, up to {@code concurrency} at once, until done, cancelled or out of failure budget. */
@WorkflowInterface
public interface BatchWorkflow {

  @WorkflowMethod
  BatchResult run(BatchRequest request);

  /** No new host starts until {@link #resume()}; running hosts finish. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /** No new host starts; running hosts finish; the rest are recorded as not run. */
  @SignalMethod
  void cancel();

  /** Live state of every host of this batch. */
  @QueryMethod
  List<HostOutcome> hosts();
}
