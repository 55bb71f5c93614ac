package io.patchloop.workflows.ticket;

/** A host as a ticket plans with it: its id, and its value of the AUTO strategy's tag (null without it). */
public record TicketHost(long hostId, String groupValue) {}
