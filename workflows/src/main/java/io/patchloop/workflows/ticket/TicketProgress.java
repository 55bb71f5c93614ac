package io.patchloop.workflows.ticket;

import java.util.List;

/**
 * What the ticket workflow answers to the {@code progress} query. Outcomes of finished batches are
 * in MySQL; {@code currentBatchHosts} has the live state of the running batch's hosts.
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
    int failureThreshold,
    List<HostOutcome> currentBatchHosts) {}
