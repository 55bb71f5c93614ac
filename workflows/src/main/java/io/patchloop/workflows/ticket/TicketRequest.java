package io.patchloop.workflows.ticket;

import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.window.MaintenanceWindow;
import java.util.List;

/**
 * Everything a ticket workflow needs, fixed when the ticket is created (hosts resolved from the
 * selector then), so a replay plans the same batches.
 *
 * @param baselineId null: each host's OS default baseline
 * @param concurrency hosts at once inside a batch
 * @param rebootOption REPAIR only: null means NO_REBOOT
 * @param rebootTimeoutSeconds REPAIR with REBOOT_IF_NEEDED: how long a host may take to come back
 * @param startAtMillis epoch millis to start at (a durable timer), 0 to start at once
 * @param agents the hosts reached through their agent and the timeouts of their steps; null when
 *     every host is reached over SSH
 * @param labels the baseline's and the hosts' names for Temporal's Web UI; null in tickets started
 *     before labels existed (their summaries name hosts by id)
 * @param metadataRefresh when each inventory the ticket collects refreshes repository metadata;
 *     null in tickets started before the option existed: read it with {@link MetadataRefresh#orDefault}
 * @param hooks REPAIR only: the scripts run on each host before and after its install; null for
 *     none (and in tickets started before hooks existed)
 * @param window the maintenance window no host of the ticket starts outside of; null for none
 * @param batchHook TRUE when the ticket has an HTTP hook around each batch (its URL and secret stay
 *     in MySQL, out of the history); null for none
 */
public record TicketRequest(
    String ticketId,
    Operation operation,
    List<TicketHost> hosts,
    Long baselineId,
    BatchSpec batch,
    int concurrency,
    SuspensionSpec suspension,
    RebootOption rebootOption,
    int rebootTimeoutSeconds,
    long startAtMillis,
    AgentRouting agents,
    TicketLabels labels,
    MetadataRefresh metadataRefresh,
    TicketHooks hooks,
    MaintenanceWindow window,
    Boolean batchHook) {

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis, AgentRouting agents, TicketLabels labels, MetadataRefresh metadataRefresh,
      TicketHooks hooks, MaintenanceWindow window) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, agents, labels, metadataRefresh, hooks, window, null);
  }

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis, AgentRouting agents, TicketLabels labels, MetadataRefresh metadataRefresh,
      TicketHooks hooks) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, agents, labels, metadataRefresh, hooks, null);
  }

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis, AgentRouting agents, TicketLabels labels, MetadataRefresh metadataRefresh) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, agents, labels, metadataRefresh, null);
  }

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, null, null);
  }

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis, AgentRouting agents) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, agents, null);
  }

  public TicketRequest(String ticketId, Operation operation, List<TicketHost> hosts, Long baselineId, BatchSpec batch,
      int concurrency, SuspensionSpec suspension, RebootOption rebootOption, int rebootTimeoutSeconds,
      long startAtMillis, AgentRouting agents, TicketLabels labels) {
    this(ticketId, operation, hosts, baselineId, batch, concurrency, suspension, rebootOption, rebootTimeoutSeconds,
        startAtMillis, agents, labels, null);
  }
}
