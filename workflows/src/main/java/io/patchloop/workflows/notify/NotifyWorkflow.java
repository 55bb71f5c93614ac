package io.patchloop.workflows.notify;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends what one event asks for to every subscribed channel, each with retries. Started as an
 * abandoned child by tickets and plans, so neither ever waits for a slow or failing channel.
 */
@WorkflowInterface
public interface NotifyWorkflow {

  @WorkflowMethod
  void send(NotifyRequest request);
}
