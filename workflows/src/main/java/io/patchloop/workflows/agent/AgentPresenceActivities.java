package io.patchloop.workflows.agent;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Central: keeps each agent's last report and when it was seen (the central clock's time, not the host's). */
@ActivityInterface
public interface AgentPresenceActivities {

  @ActivityMethod
  void recordAgentReport(AgentReport report);
}
