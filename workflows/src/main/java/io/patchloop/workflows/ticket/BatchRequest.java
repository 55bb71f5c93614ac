package io.patchloop.workflows.ticket;

import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.window.MaintenanceWindow;
import java.util.List;

/**
 * One batch of a ticket, run by its own child workflow.
 *
 * @param failureBudget failures this batch may still have before the ticket's threshold is reached
 * @param carried counts of earlier runs of the same batch (continue-as-new), zero on the first run
 * @param agents the batch's hosts reached through their agent; null when none is (and in batches
 *     started before agents existed)
 * @param labels the ticket's labels narrowed to this batch's hosts, for Temporal's Web UI; null in
 *     batches started before labels existed
 * @param metadataRefresh the ticket's; null in batches started before the option existed: read it
 *     with {@link MetadataRefresh#orDefault}
 * @param hooks the ticket's; null for none (and in batches started before hooks existed)
 * @param window the ticket's maintenance window; null for none
 * @param windowEntered whether a host of the ticket has started in its window already (an earlier
 *     batch, or an earlier run of this one): a window that closes after that ends a ticket whose
 *     window says {@code END}
 */
public record BatchRequest(
    String ticketId,
    int batchNo,
    Operation operation,
    Long baselineId,
    List<Long> hostIds,
    int concurrency,
    int failureBudget,
    RebootOption rebootOption,
    int rebootTimeoutSeconds,
    BatchResult carried,
    AgentRouting agents,
    TicketLabels labels,
    MetadataRefresh metadataRefresh,
    TicketHooks hooks,
    MaintenanceWindow window,
    boolean windowEntered) {

  public BatchRequest(String ticketId, int batchNo, Operation operation, Long baselineId, List<Long> hostIds,
      int concurrency, int failureBudget, RebootOption rebootOption, int rebootTimeoutSeconds, BatchResult carried,
      AgentRouting agents, TicketLabels labels, MetadataRefresh metadataRefresh, TicketHooks hooks) {
    this(ticketId, batchNo, operation, baselineId, hostIds, concurrency, failureBudget, rebootOption,
        rebootTimeoutSeconds, carried, agents, labels, metadataRefresh, hooks, null, false);
  }

  public BatchRequest(String ticketId, int batchNo, Operation operation, Long baselineId, List<Long> hostIds,
      int concurrency, int failureBudget, RebootOption rebootOption, int rebootTimeoutSeconds, BatchResult carried,
      AgentRouting agents, TicketLabels labels, MetadataRefresh metadataRefresh) {
    this(ticketId, batchNo, operation, baselineId, hostIds, concurrency, failureBudget, rebootOption,
        rebootTimeoutSeconds, carried, agents, labels, metadataRefresh, null);
  }

  public BatchRequest(String ticketId, int batchNo, Operation operation, Long baselineId, List<Long> hostIds,
      int concurrency, int failureBudget, RebootOption rebootOption, int rebootTimeoutSeconds, BatchResult carried) {
    this(ticketId, batchNo, operation, baselineId, hostIds, concurrency, failureBudget, rebootOption,
        rebootTimeoutSeconds, carried, null, null);
  }

  public BatchRequest(String ticketId, int batchNo, Operation operation, Long baselineId, List<Long> hostIds,
      int concurrency, int failureBudget, RebootOption rebootOption, int rebootTimeoutSeconds, BatchResult carried,
      AgentRouting agents) {
    this(ticketId, batchNo, operation, baselineId, hostIds, concurrency, failureBudget, rebootOption,
        rebootTimeoutSeconds, carried, agents, null);
  }

  public BatchRequest(String ticketId, int batchNo, Operation operation, Long baselineId, List<Long> hostIds,
      int concurrency, int failureBudget, RebootOption rebootOption, int rebootTimeoutSeconds, BatchResult carried,
      AgentRouting agents, TicketLabels labels) {
    this(ticketId, batchNo, operation, baselineId, hostIds, concurrency, failureBudget, rebootOption,
        rebootTimeoutSeconds, carried, agents, labels, null);
  }
}
