package io.patchloop.agent;

import io.patchloop.hosts.HostStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentPresenceActivities;
import io.patchloop.workflows.agent.AgentReport;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps agents' reports on their hosts. A report comes from whoever can signal in the namespace,
 * so it is only ever shown, never acted on: what is kept is bounded and checked.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class AgentPresenceActivitiesImpl implements AgentPresenceActivities {

  private static final Logger log = LoggerFactory.getLogger(AgentPresenceActivitiesImpl.class);
  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  static final Pattern FACT_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9.]{0,31}");
  static final int MAX_FACTS = 16;
  static final int MAX_FACT_LENGTH = 256;

  private final HostStore hosts;

  public AgentPresenceActivitiesImpl(HostStore hosts) {
    this.hosts = hosts;
  }

  @Override
  public void recordAgentReport(AgentReport report) {
    String version = report.agentVersion() != null && VERSION.matcher(report.agentVersion()).matches()
        ? report.agentVersion() : "unknown";
    Map<String, String> facts = new LinkedHashMap<>();
    if (report.facts() != null) {
      report.facts().forEach((k, v) -> {
        if (facts.size() < MAX_FACTS && k != null && FACT_KEY.matcher(k).matches() && v != null) {
          String printable = v.replaceAll("[^\\x20-\\x7e]", "?");
          facts.put(k, printable.length() > MAX_FACT_LENGTH ? printable.substring(0, MAX_FACT_LENGTH) : printable);
        }
      });
    }
    Instant started = report.startedAtMillis() > 0 ? Instant.ofEpochMilli(report.startedAtMillis()) : null;
    if (!hosts.recordAgentReport(report.hostId(), version, facts, started)) {
      log.warn("an agent reported for host {}, which does not exist; check its PATCHLOOP_AGENT_HOST_ID", report.hostId());
      throw ApplicationFailure.newNonRetryableFailure("no host has id " + report.hostId(), "NO_HOST");
    }
  }
}
