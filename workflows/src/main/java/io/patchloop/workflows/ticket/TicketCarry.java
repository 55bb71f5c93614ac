package io.patchloop.workflows.ticket;

/** What a ticket hands to its next run when it continues as new to keep its history short. */
public record TicketCarry(int nextBatch, BatchResult done, boolean paused, boolean cancelled) {}
