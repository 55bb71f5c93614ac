package io.patchloop.workflows.agent;

import java.util.Map;

/**
 * What an agent says of itself when it starts and then periodically: who it is and what it runs on.
 *
 * @param facts host facts read by the agent (hostname, os, kernel, boot id, java version)
 * @param startedAtMillis when this agent process started (the host's clock)
 */
public record AgentReport(long hostId, String agentVersion, Map<String, String> facts, long startedAtMillis) {}
