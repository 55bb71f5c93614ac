package io.patchloop.workflows.ticket;

import java.util.List;

/**
 * One call of a ticket's batch hook: before a batch starts ({@code BATCH_STARTING}, no counts) or
 * after it ended ({@code BATCH_FINISHED}, with its counts).
 */
public record BatchHookCall(String ticketId, String event, int batch, int batchCount, List<Long> hostIds,
    int succeeded, int failed, int notRun) {

  public static final String STARTING = "BATCH_STARTING";
  public static final String FINISHED = "BATCH_FINISHED";
}
