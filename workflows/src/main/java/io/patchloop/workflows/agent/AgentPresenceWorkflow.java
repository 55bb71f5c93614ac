package io.patchloop.workflows.agent;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per agent host ({@link #workflowId}), on the central queue. Agents reach Patchloop only
 * through Temporal, so an agent reports itself by signal-with-start to this workflow, which records
 * each report through an activity. (Temporal's own poller list would say whether an agent polls,
 * but not what it runs, and the embedded test server does not offer it.)
 */
@WorkflowInterface
public interface AgentPresenceWorkflow {

  static String workflowId(long hostId) {
    return "agent-presence-" + hostId;
  }

  @WorkflowMethod
  void run(long hostId);

  @SignalMethod
  void report(AgentReport report);
}
