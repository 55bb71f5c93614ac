package io.patchloop.workflows.plan;

/**
 * A plan's live state, from its workflow.
 *
 * @param nextFireAtMillis epoch millis of the next run, 0 while paused
 */
public record PlanState(String cron, String timeZone, boolean paused, long nextFireAtMillis, String lastTicketId,
    int started, int skipped) {}
