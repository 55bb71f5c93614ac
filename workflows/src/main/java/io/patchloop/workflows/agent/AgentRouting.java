package io.patchloop.workflows.agent;

import java.util.Collection;
import java.util.List;

/**
 * Which hosts of a ticket are reached through their agent, and how long a step may wait for one,
 * fixed when the ticket is created so a replay routes the same way.
 *
 * @param hostIds the ticket's AGENT hosts
 * @param scheduleToStartSeconds how long a step waits for the host's agent to pick it up before the
 *     host fails as AGENT_OFFLINE
 * @param heartbeatTimeoutSeconds how long a running step may go without a heartbeat from the agent
 *     (killed, crashed, cut off) before it is tried again
 */
public record AgentRouting(List<Long> hostIds, int scheduleToStartSeconds, int heartbeatTimeoutSeconds) {

  public boolean routes(long hostId) {
    return hostIds != null && hostIds.contains(hostId);
  }

  /** The same routing narrowed to {@code hosts} (one batch's), or null when none of them is an agent host. */
  public AgentRouting narrowedTo(Collection<Long> hosts) {
    List<Long> mine = hostIds == null ? List.of() : hosts.stream().filter(hostIds::contains).toList();
    return mine.isEmpty() ? null : new AgentRouting(mine, scheduleToStartSeconds, heartbeatTimeoutSeconds);
  }
}
