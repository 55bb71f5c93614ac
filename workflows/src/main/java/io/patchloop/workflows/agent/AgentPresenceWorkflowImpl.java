package io.patchloop.workflows.agent;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Records reports as they come. Continues as new after {@link #REPORTS_PER_RUN} reports to keep
 * its history short (an agent reporting every 30 s sends thousands a day), and ends after a day
 * without any, so hosts whose agent is gone for good leave no workflow behind; the agent's next
 * report starts it again.
 */
public class AgentPresenceWorkflowImpl implements AgentPresenceWorkflow {

  static final int REPORTS_PER_RUN = 200;
  static final Duration IDLE_END = Duration.ofDays(1);

  private final AgentPresenceActivities presence = Workflow.newActivityStub(AgentPresenceActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          // a report that cannot be recorded is replaced by the next one; do not pile them up
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build());
  private final Queue<AgentReport> pending = new ArrayDeque<>();

  @Override
  public void run(long hostId) {
    int recorded = 0;
    while (true) {
      boolean got = Workflow.await(IDLE_END, () -> !pending.isEmpty());
      if (!got) {
        return;
      }
      AgentReport report = pending.poll();
      try {
        presence.recordAgentReport(report);
      } catch (io.temporal.failure.ActivityFailure e) {
        Workflow.getLogger(AgentPresenceWorkflowImpl.class).warn("agent report of host {} not recorded: {}", hostId,
            e.getMessage());
      }
      if (++recorded >= REPORTS_PER_RUN && pending.isEmpty()) {
        Workflow.continueAsNew(hostId);
      }
    }
  }

  @Override
  public void report(AgentReport report) {
    pending.add(report);
  }
}
