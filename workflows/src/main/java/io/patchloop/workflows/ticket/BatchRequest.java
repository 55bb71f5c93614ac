package io.patchloop.workflows.ticket;

import io.patchloop.workflows.repair.RebootOption;
import java.util.List;

/**
 * One batch of a ticket, run by its own child workflow.
 *
 * @param failureBudget failures this batch may still have before the ticket's threshold is reached
 * @param carried counts of earlier runs of the same batch (continue-as-new), zero on the first run
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
    BatchResult carried) {}
