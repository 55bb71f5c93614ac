package io.patchloop.workflows.ticket;

/**
 * What the ticket workflow answers to the {@code progress} query. Outcomes of finished batches are
 * in MySQL; the running batch's hosts answer its own {@code hosts} query.
 */
public record TicketProgress(
    TicketStatus status,
    boolean paused,
    int batchCount,
    int currentBatch,
    int hostCount,
    int succeeded,
    int failed,
    int notRun,
    int failureThreshold) {}
