package io.patchloop.tickets;

import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.AgentProperties;
import io.patchloop.hosts.Host;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.ticket.TicketRequest;
import io.patchloop.workflows.ticket.TicketWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Starts a prepared ticket: records it, registers its callback and starts its workflow. A ticket
 * is listed only while its workflow exists, so a start that fails takes the ticket away again.
 */
@Service
public class TicketLauncher {

  private static final Logger log = LoggerFactory.getLogger(TicketLauncher.class);

  private final TicketStore tickets;
  private final TicketCallbacks callbacks;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;
  private final Clock clock;
  private final AgentProperties agents;

  public TicketLauncher(TicketStore tickets, TicketCallbacks callbacks, ObjectProvider<WorkflowClient> temporalClient,
      Clock clock, AgentProperties agents) {
    this.tickets = tickets;
    this.callbacks = callbacks;
    this.temporalClient = temporalClient;
    this.clock = clock;
    this.agents = agents;
  }

  /** Under a fresh id. */
  public TicketStore.TicketRow launch(PreparedTicket ticket) {
    return launch(ticket, TicketIds.fresh(ticket.spec().operation(), clock.instant()), null);
  }

  /**
   * @param id the ticket's (and its workflow's) id; a caller that retries gives the same one and
   *     gets the same ticket
   * @param planId the inspection plan that starts the ticket, or null
   */
  public TicketStore.TicketRow launch(PreparedTicket ticket, String id, Long planId) {
    TicketSpec spec = ticket.spec();
    TicketRequest request = request(ticket, id);
    TicketStore.TicketRow row = tickets.create(id, spec.operation(), spec.baselineId(), spec.parametersJson(),
        ticket.hosts().stream().map(Host::id).toList(), spec.startAt(), planId, spec.externalRef());
    if (spec.callback() != null) {
      callbacks.register(id, spec.callback().url(), spec.callback().secret());
    }
    try {
      TicketWorkflow workflow = temporalClient.getObject().newWorkflowStub(TicketWorkflow.class, options(spec, id));
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

  private static WorkflowOptions options(TicketSpec spec, String id) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(TicketSearchAttributes.TICKET_ID, id)
        .set(TicketSearchAttributes.OPERATION, spec.operation().name())
        .set(TicketSearchAttributes.BASELINE, spec.baselineId() == null ? "os-default" : spec.baselineId().toString());
    if (spec.externalRef() != null) {
      attributes.set(TicketSearchAttributes.EXTERNAL_REF, spec.externalRef());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(TaskQueues.TICKETS)
        // a fixed id (an idempotency key's, a plan run's) that already runs or ran is that ticket, not a new one
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(attributes.build())
        .build();
  }

  private TicketRequest request(PreparedTicket ticket, String id) {
    TicketSpec spec = ticket.spec();
    return new TicketRequest(id, spec.operation(), ticket.ticketHosts(), spec.baselineId(), ticket.batch(),
        ticket.concurrency(), ticket.suspension(), ticket.rebootOption(), ticket.rebootTimeoutSeconds(),
        spec.startAt() == null ? 0 : spec.startAt().toEpochMilli(), agentRouting(ticket.hosts()));
  }

  /** The ticket's AGENT hosts and the timeouts their steps run under; null when there are none. */
  private AgentRouting agentRouting(List<Host> selected) {
    List<Long> ids = selected.stream().filter(h -> h.access() == AccessMode.AGENT).map(Host::id).toList();
    return ids.isEmpty() ? null : new AgentRouting(ids, (int) agents.scheduleToStartTimeout().toSeconds(),
        (int) agents.heartbeatTimeout().toSeconds());
  }
}
