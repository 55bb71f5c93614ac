package io.patchloop.tickets;

import io.patchloop.baselines.BaselineStore;
import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.Problems;
import io.patchloop.common.WorkflowQueries;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.AgentProperties;
import io.patchloop.hosts.HostStore;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.reports.ReportStore;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchPlanner;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.BatchWorkflow;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import io.patchloop.workflows.ticket.TicketHost;
import io.patchloop.workflows.ticket.TicketProgress;
import io.patchloop.workflows.ticket.TicketRequest;
import io.patchloop.workflows.ticket.TicketWorkflow;
import io.temporal.client.WorkflowClient;
import org.springframework.beans.factory.ObjectProvider;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Checks a ticket request, resolves its hosts, records the ticket and starts its workflow. */
@Service
public class TicketService {

  private static final Logger log = LoggerFactory.getLogger(TicketService.class);

  private final HostStore hosts;
  private final BaselineStore baselines;
  private final ReportStore reports;
  private final TicketLauncher launcher;
  private final TicketStore tickets;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;
  private final Clock clock;

  public TicketService(HostStore hosts, BaselineStore baselines, ReportStore reports, TicketLauncher launcher,
      TicketStore tickets, ObjectProvider<WorkflowClient> temporalClient, Clock clock) {
    this.hosts = hosts;
    this.baselines = baselines;
    this.reports = reports;
    this.launcher = launcher;
    this.tickets = tickets;
    this.temporalClient = temporalClient;
    this.clock = clock;
  }

  public PreparedTicket prepare(TicketSpec spec) {
    Problems problems = new Problems();
    spec.validate(problems, clock.instant());
    checkBaselineExists(spec, problems);
    problems.throwIfAny("Invalid ticket");
    List<Host> selected = resolveHosts(spec);
    if (spec.operation() == Operation.REPAIR) {
      checkReports(spec, selected);
    } else {
      checkBaselines(spec, selected);
    }
    return new PreparedTicket(spec, selected);
  }

  /** A ticket under a fresh id. */
  public TicketStore.TicketRow create(TicketSpec spec) {
    PreparedTicket ticket = prepare(spec);
    refuseOfflineAgentsIfStartingNow(ticket);
    return launcher.launch(ticket);
  }

  /**
   * Creates the ticket a {@link #prepare} made ready, without resolving its hosts again.
   *
   * @param id the id a caller that retries finds the same ticket under
   */
  public TicketStore.TicketRow create(PreparedTicket ticket, String id) {
    refuseOfflineAgentsIfStartingNow(ticket);
    return launcher.launch(ticket, id, null);
  }

  /** The ticket a run of an inspection plan starts; it takes hosts whose agent is away (they fail as AGENT_OFFLINE). */
  public TicketStore.TicketRow createPlanRun(long planId, TicketSpec spec, String id) {
    return launcher.launch(prepare(spec), id, planId);
  }

  private void checkBaselineExists(TicketSpec spec, Problems problems) {
    if (spec.baselineId() != null) {
      try {
        baselines.get(spec.baselineId());
      } catch (NotFoundException e) {
        problems.add("baselineId", "no baseline has id " + spec.baselineId());
      }
    }
  }

  private List<Host> resolveHosts(TicketSpec spec) {
    if (spec.hostIds() != null) {
      Problems problems = new Problems();
      List<Host> found = new ArrayList<>();
      Set<Long> seen = new TreeSet<>();
      for (int i = 0; i < spec.hostIds().size(); i++) {
        Long id = spec.hostIds().get(i);
        if (id == null || !seen.add(id)) {
          problems.add("hostIds[" + i + "]", id == null ? "must be a host id" : "repeats host " + id);
          continue;
        }
        try {
          found.add(hosts.get(id));
        } catch (NotFoundException e) {
          problems.add("hostIds[" + i + "]", "no host has id " + id);
        }
      }
      problems.throwIfAny("Invalid ticket");
      return found;
    }
    var s = spec.selector();
    HostQuery query = new HostQuery(s.tags() == null ? Map.of() : s.tags(), s.osFamily(), null, s.complianceStatus(),
        s.complianceStatus() == null ? null : spec.baselineId());
    List<Host> found = new ArrayList<>();
    for (int page = 0; ; page++) {
      var result = hosts.list(query, PageRequest.of(page, PageRequest.MAX_SIZE));
      found.addAll(result.items());
      if (result.items().size() < PageRequest.MAX_SIZE || found.size() > TicketSpec.MAX_HOSTS) {
        break;
      }
    }
    if (found.isEmpty()) {
      throw new InvalidInputException("selector", "selects no host");
    }
    if (found.size() > TicketSpec.MAX_HOSTS) {
      throw new InvalidInputException("selector", "selects more than " + TicketSpec.MAX_HOSTS + " hosts; split the ticket");
    }
    return found;
  }

  /**
   * A repair installs what a host's newest report marks missing, so every host needs one, under
   * the ticket's baseline when it names one. Refused up front rather than failing host by host.
   */
  private void checkReports(TicketSpec spec, List<Host> selected) {
    Map<Long, Long> baselineOf = reports.reportBaselines(selected.stream().map(Host::id).toList());
    List<String> without = new ArrayList<>();
    for (Host h : selected) {
      Long b = baselineOf.get(h.id());
      if (b == null || (spec.baselineId() != null && !b.equals(spec.baselineId()))) {
        without.add(h.name() + " (id " + h.id() + ")");
      }
    }
    if (!without.isEmpty()) {
      String field = spec.hostIds() != null ? "hostIds" : "selector";
      String which = firstTen(without);
      throw new InvalidInputException(field, without.size() + " host(s) have no compliance report"
          + (spec.baselineId() == null ? "" : " under baseline " + spec.baselineId()) + " to repair from: " + which
          + "; scan them first, or select only scanned hosts with selector.complianceStatus NON_COMPLIANT");
    }
  }

  /**
   * A ticket that starts now refuses hosts whose agent is not online: they could only fail. A later
   * ticket, or one an inspection plan starts, takes them; a host whose agent is still away then
   * fails as AGENT_OFFLINE and counts toward the threshold.
   */
  private void refuseOfflineAgentsIfStartingNow(PreparedTicket ticket) {
    TicketSpec spec = ticket.spec();
    if (spec.startAt() != null) {
      return;
    }
    List<String> offline = ticket.hosts().stream()
        .filter(h -> h.access() == AccessMode.AGENT && (h.agent() == null || !h.agent().online()))
        .map(h -> h.name() + " (id " + h.id() + ", agent " + (h.agent() == null ? "NEVER_SEEN" : h.agent().describe()) + ")")
        .toList();
    if (!offline.isEmpty()) {
      String which = firstTen(offline);
      throw new ConflictException(spec.hostIds() != null ? "hostIds" : "selector", offline.size()
          + " host(s) are reached through their Patchloop agent, which is not online: " + which
          + "; start the agent on them (systemctl start patchloop-agent) or leave them out");
    }
  }

  /** Hosts named in a refusal: the first ten, then how many more, so the message stays readable. */
  private static String firstTen(List<String> hosts) {
    return hosts.size() > 10
        ? String.join(", ", hosts.subList(0, 10)) + " and " + (hosts.size() - 10) + " more"
        : String.join(", ", hosts);
  }

  /** Without a baseline, every host's OS needs a default one. */
  private void checkBaselines(TicketSpec spec, List<Host> selected) {
    if (spec.baselineId() != null) {
      return;
    }
    Map<OsFamily, Boolean> hasDefault = new LinkedHashMap<>();
    for (Host h : selected) {
      hasDefault.computeIfAbsent(h.osFamily(), os -> baselines.defaultFor(os).isPresent());
    }
    List<OsFamily> missing = hasDefault.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException("baselineId", "no baseline given and no default baseline for " + missing
          + "; give baselineId or create a baseline for that OS");
    }
  }

  /**
   * Live progress of a running ticket, with its running batch's hosts; null once finished, or when
   * no worker answers in time ({@link WorkflowQueries}).
   */
  public Live live(String id) {
    TicketStore.TicketRow row = tickets.get(id);
    if (row.status().finished()) {
      return null;
    }
    TicketProgress progress = WorkflowQueries.within(
        () -> temporal().newWorkflowStub(TicketWorkflow.class, id).progress(), "ticket " + id);
    if (progress == null) {
      return null;
    }
    List<HostOutcome> batchHosts = List.of();
    if (progress.currentBatch() > 0 && !progress.status().finished()) {
      List<HostOutcome> answer = WorkflowQueries.within(() -> temporal().newWorkflowStub(BatchWorkflow.class,
          TicketWorkflow.batchWorkflowId(id, progress.currentBatch())).hosts(), "ticket " + id);
      batchHosts = answer == null ? List.of() : answer;
    }
    return new Live(progress, batchHosts);
  }

  /** The workflow's answer to the progress query, and the live state of the running batch's hosts. */
  public record Live(TicketProgress progress, List<HostOutcome> currentBatchHosts) {}

  public void signal(String id, String signal) {
    TicketStore.TicketRow row = tickets.get(id);
    if (row.status().finished()) {
      throw new ConflictException("id", "ticket " + id + " has already ended (" + row.status() + ")");
    }
    TicketWorkflow workflow = temporal().newWorkflowStub(TicketWorkflow.class, id);
    switch (signal) {
      case "pause" -> workflow.pause();
      case "resume" -> workflow.resume();
      case "cancel" -> workflow.cancel();
      default -> throw new NotFoundException("ticket action", signal);
    }
  }

  private WorkflowClient temporal() {
    return temporalClient.getObject();
  }
}
