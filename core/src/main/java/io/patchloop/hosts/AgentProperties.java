package io.patchloop.hosts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the platform treats agents.
 *
 * @param offlineAfter an agent whose last report is older is OFFLINE (agents report every 30 s by default)
 * @param scheduleToStartTimeout how long a ticket's step waits for an agent to pick it up before the host fails
 * @param heartbeatTimeout how long a running step may go without a heartbeat from its agent (they beat every 5 s)
 */
@ConfigurationProperties("patchloop.agent")
public record AgentProperties(
    @DefaultValue("90s") Duration offlineAfter,
    @DefaultValue("60s") Duration scheduleToStartTimeout,
    @DefaultValue("20s") Duration heartbeatTimeout) {}
