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
  private final TicketStore tickets;
  private final TicketCallbacks callbacks;
  private final ReportStore reports;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;
  private final Clock clock;
  private final AgentProperties agents;

  public TicketService(HostStore hosts, BaselineStore baselines, TicketStore tickets, TicketCallbacks callbacks,
      ReportStore reports,
      ObjectProvider<WorkflowClient> temporalClient, Clock clock, AgentProperties agents) {
    this.hosts = hosts;
    this.baselines = baselines;
    this.tickets = tickets;
    this.callbacks = callbacks;
    this.reports = reports;
    this.temporalClient = temporalClient;
    this.clock = clock;
    this.agents = agents;
  }

  /**
   * A ticket request checked and its hosts resolved, in the order the ticket plans with: what both
   * creating and previewing a ticket start from, so a preview shows the batches the ticket runs.
   */
  public record Prepared(TicketSpec spec, BatchSpec batch, int concurrency, SuspensionSpec suspension,
      RebootOption rebootOption, int rebootTimeoutSeconds, List<Host> hosts) {

    public List<TicketHost> ticketHosts() {
      return hosts.stream()
          .map(h -> new TicketHost(h.id(), batch.tagKey() == null ? null : h.tags().get(batch.tagKey())))
          .toList();
    }

    public List<List<Long>> batches() {
      return BatchPlanner.plan(ticketHosts(), batch);
    }
  }

  public Prepared prepare(TicketSpec spec) {
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
    return new Prepared(spec, spec.batchOrDefault(), spec.concurrencyOrDefault(), spec.suspensionOrDefault(),
        spec.rebootOptionOrDefault(), spec.rebootTimeoutSecondsOrDefault(), selected);
  }

  public TicketStore.TicketRow create(TicketSpec spec) {
    return create(spec, null, null);
  }

  /**
   * @param fixedId the ticket (and workflow) id to use, for callers that must find the same ticket
   *     again when they retry; null for a fresh one
   * @param planId the inspection plan that starts the ticket, or null
   */
  public TicketStore.TicketRow create(TicketSpec spec, String fixedId, Long planId) {
    return create(prepare(spec), fixedId, planId);
  }

  /** Creates the ticket a {@link #prepare} made ready, without resolving its hosts again. */
  public TicketStore.TicketRow create(Prepared p, String fixedId, Long planId) {
    TicketSpec spec = p.spec();
    if (spec.startAt() == null && planId == null) {
      refuseOfflineAgents(spec, p.hosts());
    }
    String id = fixedId != null ? fixedId : TicketIds.fresh(spec.operation(), clock.instant());
    TicketRequest request = new TicketRequest(id, spec.operation(), p.ticketHosts(), spec.baselineId(), p.batch(),
        p.concurrency(), p.suspension(), p.rebootOption(), p.rebootTimeoutSeconds(),
        spec.startAt() == null ? 0 : spec.startAt().toEpochMilli(), agentRouting(p.hosts()));
    TicketStore.TicketRow row = tickets.create(id, spec.operation(), spec.baselineId(), spec.parametersJson(),
        p.hosts().stream().map(Host::id).toList(), spec.startAt(), planId, spec.externalRef());
    if (spec.callback() != null) {
      callbacks.register(id, spec.callback().url(), spec.callback().secret());
    }
    try {
      SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
          .set(TicketSearchAttributes.TICKET_ID, id)
          .set(TicketSearchAttributes.OPERATION, spec.operation().name())
          .set(TicketSearchAttributes.BASELINE, spec.baselineId() == null ? "os-default" : spec.baselineId().toString());
      if (spec.externalRef() != null) {
        attributes.set(TicketSearchAttributes.EXTERNAL_REF, spec.externalRef());
      }
      TicketWorkflow workflow = temporal().newWorkflowStub(TicketWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(id)
          .setTaskQueue(TaskQueues.TICKETS)
          // a fixed id (an idempotency key's, a plan run's) that already runs or ran is that ticket, not a new one
          .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
          .setTypedSearchAttributes(attributes.build())
          .build());
      WorkflowClient.start(workflow::run, request, null);
    } catch (WorkflowExecutionAlreadyStarted finished) {
      log.info("ticket {}: its workflow exists already ({})", id, finished.getMessage());
    } catch (RuntimeException e) {
      // no workflow, no ticket: a listed ticket that never runs would mislead whoever reads the list
      tickets.delete(id);
      log.error("could not start the workflow of ticket {}", id, e);
      throw new IllegalStateException("Temporal did not accept the ticket's workflow: " + e.getMessage(), e);
    }
    return row;
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

  /** The ticket's AGENT hosts and the timeouts their steps run under; null when there are none. */
  private AgentRouting agentRouting(List<Host> selected) {
    List<Long> ids = selected.stream().filter(h -> h.access() == AccessMode.AGENT).map(Host::id).toList();
    return ids.isEmpty() ? null : new AgentRouting(ids, (int) agents.scheduleToStartTimeout().toSeconds(),
        (int) agents.heartbeatTimeout().toSeconds());
  }

  /**
   * A ticket that starts now refuses hosts whose agent is not online: they could only fail. A later
   * ticket, or one an inspection plan starts, takes them; a host whose agent is still away then
   * fails as AGENT_OFFLINE and counts toward the threshold.
   */
  private void refuseOfflineAgents(TicketSpec spec, List<Host> selected) {
    List<String> offline = selected.stream()
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
