package io.patchloop.workflows.ticket;

/** How a ticket ended. */
public record TicketResult(TicketStatus status, int hostCount, int succeeded, int failed, int notRun) {}
