package io.patchloop.workflows.plan;

/** What a plan hands to its next run when it continues as new: the ticket it last started, and its counts. */
public record PlanCarry(String lastTicketId, int started, int skipped) {}
