package io.patchloop.hosts;

import io.micrometer.core.instrument.Tags;
import io.patchloop.metrics.DatabaseGauges;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code patchloop_agents{state}}: agent hosts by their agent's state (ONLINE, OFFLINE, NEVER_SEEN). */
@Component
class AgentGauges {

  AgentGauges(DatabaseGauges gauges, HostStore hosts) {
    gauges.register(new DatabaseGauges.Family("patchloop.agents", "agent hosts by the state of their agent", () -> {
      Map<Tags, Long> counts = new HashMap<>();
      // every state from the first refresh on, 0 when no agent is in it
      for (AgentStatus.State state : AgentStatus.State.values()) {
        counts.put(Tags.of("state", state.name()), 0L);
      }
      hosts.countAgentsByState().forEach((state, n) -> counts.put(Tags.of("state", state.name()), n));
      return counts;
    }));
  }
}
