package io.patchloop.workflows.ticket;

import java.util.List;

/**
 * Everything a ticket workflow needs, fixed when the ticket is created (hosts resolved from the
 * selector then), so a replay plans the same batches.
 *
 * @param baselineId null: each host's OS default baseline
 * @param concurrency hosts at once inside a batch
 * @param rebootOption REPAIR only: NO_REBOOT or REBOOT_IF_NEEDED
 */
public record TicketRequest(
    String ticketId,
    Operation operation,
    List<TicketHost> hosts,
    Long baselineId,
    BatchSpec batch,
    int concurrency,
    SuspensionSpec suspension,
    String rebootOption) {}
