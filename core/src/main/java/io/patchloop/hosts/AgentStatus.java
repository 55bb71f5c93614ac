package io.patchloop.hosts;

import java.time.Instant;
import java.util.Map;

/**
 * An agent host's agent as its reports describe it.
 *
 * @param state ONLINE when its last report is recent enough ({@code patchloop.agent.offline-after}),
 *     OFFLINE when not, NEVER_SEEN before its first report
 * @param lastSeenAt when the platform received its last report
 * @param facts what the agent read on the host: hostname, os, kernel, boot id, java version
 */
public record AgentStatus(State state, String version, Instant startedAt, Instant lastSeenAt, Map<String, String> facts) {

  public enum State {
    ONLINE,
    OFFLINE,
    NEVER_SEEN
  }

  public boolean online() {
    return state == State.ONLINE;
  }

  /** For people: "ONLINE", "OFFLINE (last seen 2026-11-27T10:15:03Z)", "NEVER_SEEN". */
  public String describe() {
    return state == State.OFFLINE ? "OFFLINE (last seen " + lastSeenAt + ")" : state.name();
  }
}
