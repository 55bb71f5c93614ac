package io.patchloop.tickets;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.AgentProperties;
import io.patchloop.hosts.Host;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.workflows.UiText;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketRequest;
import io.patchloop.workflows.ticket.TicketWorkflow;
import io.patchloop.workflows.ticket.UiSummaries;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a prepared ticket: records it with its idempotency key and its callback in one
 * transaction, then starts its workflow under the ticket's id. A ticket is listed only while its
 * workflow exists, so a start that did not happen takes the ticket, its key and its callback away
 * again; a start that failed but happened all the same (the server accepted it and the answer was
 * lost) keeps them.
 */
@Service
public class TicketLauncher {

  private static final Logger log = LoggerFactory.getLogger(TicketLauncher.class);

  /** What Temporal says of a workflow id after a start failed. */
  private enum WorkflowPresence { PRESENT, ABSENT, UNKNOWN }

  private final TicketStore tickets;
  private final TicketIdempotencyKeys keys;
  private final TicketCallbacks callbacks;
  private final TicketBatchHooks batchHooks;
  private final TransactionTemplate transactions;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;
  private final Clock clock;
  private final AgentProperties agents;

  public TicketLauncher(TicketStore tickets, TicketIdempotencyKeys keys, TicketCallbacks callbacks,
      TicketBatchHooks batchHooks, PlatformTransactionManager transactionManager,
      ObjectProvider<WorkflowClient> temporalClient, Clock clock, AgentProperties agents) {
    this.batchHooks = batchHooks;
    this.tickets = tickets;
    this.keys = keys;
    this.callbacks = callbacks;
    this.transactions = new TransactionTemplate(transactionManager);
    this.temporalClient = temporalClient;
    this.clock = clock;
    this.agents = agents;
  }

  /** Under a fresh id. */
  public TicketStore.TicketRow launch(PreparedTicket ticket) {
    return launch(ticket, TicketIds.fresh(ticket.spec().operation(), clock.instant()), null, null);
  }

  /**
   * @param id the ticket's (and its workflow's) id; a caller that retries gives the same one and
   *     gets the same ticket
   * @param planId the inspection plan that starts the ticket, or null
   * @param key the idempotency key the ticket is made under, or null
   * @throws io.patchloop.common.ConflictException when a ticket of that id, or the key, was recorded first
   */
  public TicketStore.TicketRow launch(PreparedTicket ticket, String id, Long planId, TicketIdempotencyKeys.Claim key) {
    TicketSpec spec = ticket.spec();
    WorkflowClient temporal = temporalClient.getIfAvailable();
    if (temporal == null) {
      throw new IllegalStateException("Temporal did not accept the ticket's workflow: this process has no Temporal client");
    }
    TicketWorkflow workflow = temporal.newWorkflowStub(TicketWorkflow.class, options(ticket, id, planId));
    TicketRequest request = request(ticket, id);
    // all or nothing: a ticket without its callback, or a key without its ticket, would be answered to a retry as if whole
    TicketStore.TicketRow row = transactions.execute(tx -> {
      TicketStore.TicketRow created = tickets.create(id, spec.operation(), spec.baselineId(), spec.parametersJson(),
          ticket.hosts().stream().map(Host::id).toList(), spec.startAt(), planId, spec.externalRef());
      if (key != null) {
        keys.record(key, id);
      }
      if (spec.callback() != null) {
        callbacks.register(id, spec.callback().url(), spec.callback().secret());
      }
      if (spec.batchHook() != null) {
        batchHooks.register(id, spec.batchHook().url(), spec.batchHook().secret());
      }
      return created;
    });
    try {
      WorkflowClient.start(workflow::run, request, null);
    } catch (WorkflowExecutionAlreadyStarted finished) {
      log.info("ticket {}: its workflow exists already ({})", id, finished.getMessage());
    } catch (RuntimeException e) {
      afterFailedStart(temporal, id, e);
    }
    return row;
  }

  /**
   * Keeps the ticket when its workflow exists after all; removes it, with its key and its
   * callback, when Temporal says there is none; keeps it, and fails, when Temporal cannot say.
   */
  private void afterFailedStart(WorkflowClient temporal, String id, RuntimeException failure) {
    switch (presence(temporal, id)) {
      case PRESENT -> log.warn("ticket {}: starting its workflow failed ({}), but the workflow exists; the ticket is kept",
          id, failure.toString());
      case ABSENT -> {
        // no workflow, no ticket: a listed ticket that never runs would mislead whoever reads the list,
        // and a retry with the key would be answered with it
        tickets.delete(id);
        log.error("could not start the workflow of ticket {}", id, failure);
        throw new IllegalStateException("Temporal did not accept the ticket's workflow: " + failure.getMessage(), failure);
      }
      case UNKNOWN -> {
        // deleting might leave a workflow running without its ticket, and a retry would then work the
        // hosts twice; the reconciler ends the ticket FAILED if its workflow never shows up
        log.error("ticket {}: starting its workflow failed and Temporal cannot say whether it exists; the ticket is"
            + " kept, and ends FAILED within the reconcile interval if its workflow never appears", id, failure);
        throw new IllegalStateException("Temporal did not confirm the start of the workflow of ticket " + id + ": "
            + failure.getMessage(), failure);
      }
    }
  }

  private static WorkflowPresence presence(WorkflowClient temporal, String id) {
    try {
      temporal.newUntypedWorkflowStub(id).describe();
      return WorkflowPresence.PRESENT;
    } catch (WorkflowNotFoundException gone) {
      return WorkflowPresence.ABSENT;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return WorkflowPresence.ABSENT;
        }
      }
      log.warn("ticket {}: cannot ask Temporal about its workflow: {}", id, e.toString());
      return WorkflowPresence.UNKNOWN;
    }
  }

  private static WorkflowOptions options(PreparedTicket ticket, String id, Long planId) {
    TicketSpec spec = ticket.spec();
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
        // what Temporal's Web UI lists the ticket as, and shows on its page
        .setStaticSummary(UiSummaries.ticket(spec.operation(), ticket.hosts().size(), baselineLabel(ticket),
            ticket.batches().size()))
        .setStaticDetails(UiText.details(staticDetails(ticket, id, planId)))
        .build();
  }

  private static String baselineLabel(PreparedTicket ticket) {
    if (ticket.baselineLabel() != null) {
      return ticket.baselineLabel();
    }
    return ticket.spec().baselineId() == null ? "OS default" : "#" + ticket.spec().baselineId();
  }

  /** The ticket's settings as Temporal's Web UI shows them on the ticket's page (Markdown). */
  static String staticDetails(PreparedTicket ticket, String id, Long planId) {
    TicketSpec spec = ticket.spec();
    int batches = ticket.batches().size();
    StringBuilder md = new StringBuilder("**Patchloop " + spec.operation() + " ticket** `" + id + "`\n\n");
    md.append("- hosts: ").append(ticket.hosts().size()).append(" in ").append(batches)
        .append(batches == 1 ? " batch" : " batches").append(batching(ticket.batch())).append(", ")
        .append(ticket.concurrency()).append(" at once\n");
    md.append("- baseline: ").append(baselineLabel(ticket))
        .append(spec.baselineId() == null ? "" : " (id " + spec.baselineId() + ")").append('\n');
    int threshold = ticket.suspension().threshold(ticket.hosts().size());
    md.append("- suspends: ").append(threshold == Integer.MAX_VALUE ? "never"
        : "after " + threshold + (threshold == 1 ? " failed host" : " failed hosts")).append('\n');
    md.append("- metadata refresh: ").append(ticket.metadataRefresh()).append('\n');
    if (spec.operation() == Operation.REPAIR) {
      md.append("- reboot: ").append(ticket.rebootOption());
      if (ticket.rebootOption() == RebootOption.REBOOT_IF_NEEDED) {
        md.append(", ").append(ticket.rebootTimeoutSeconds()).append(" s to come back");
      }
      md.append('\n');
    }
    if (ticket.hooks() != null) {
      if (ticket.hooks().pre() != null) {
        md.append("- pre-hook: ").append(ticket.hooks().pre().label()).append('\n');
      }
      if (ticket.hooks().post() != null) {
        md.append("- post-hook: ").append(ticket.hooks().post().label()).append('\n');
      }
    }
    if (ticket.window() != null) {
      var w = ticket.window();
      md.append("- maintenance window: ").append(w.name()).append(" (`").append(w.cron()).append("` ")
          .append(w.timeZone()).append(", ").append(w.durationMinutes()).append(" min; at its end: ")
          .append(w.onCloseOrDefault()).append(")\n");
    }
    if (spec.startAt() != null) {
      md.append("- starts at: ").append(spec.startAt()).append('\n');
    }
    if (spec.externalRef() != null) {
      md.append("- external reference: ").append(spec.externalRef()).append('\n');
    }
    if (planId != null) {
      md.append("- started by inspection plan ").append(planId).append('\n');
    }
    return md.toString();
  }

  private static String batching(BatchSpec batch) {
    return switch (batch.strategy()) {
      case NONE -> "";
      case FIXED -> " of up to " + batch.size();
      case PERCENT -> " of " + batch.percent() + " % of the hosts";
      case AUTO -> " (at most " + (batch.percent() == null ? BatchSpec.DEFAULT_AUTO_PERCENT : batch.percent())
          + " % of any " + batch.tagKey() + " group in one batch)";
    };
  }

  private TicketRequest request(PreparedTicket ticket, String id) {
    TicketSpec spec = ticket.spec();
    return new TicketRequest(id, spec.operation(), ticket.ticketHosts(), spec.baselineId(), ticket.batch(),
        ticket.concurrency(), ticket.suspension(), ticket.rebootOption(), ticket.rebootTimeoutSeconds(),
        spec.startAt() == null ? 0 : spec.startAt().toEpochMilli(), agentRouting(ticket.hosts()), ticket.labels(),
        ticket.metadataRefresh(), ticket.hooks(), ticket.window(), spec.batchHook() != null ? Boolean.TRUE : null);
  }

  /** The ticket's AGENT hosts and the timeouts their steps run under; null when there are none. */
  private AgentRouting agentRouting(List<Host> selected) {
    List<Long> ids = selected.stream().filter(h -> h.access() == AccessMode.AGENT).map(Host::id).toList();
    return ids.isEmpty() ? null : new AgentRouting(ids, (int) agents.scheduleToStartTimeout().toSeconds(),
        (int) agents.heartbeatTimeout().toSeconds());
  }
}
