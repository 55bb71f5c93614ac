package io.patchloop.workflows.ticket;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The ticket's records in MySQL, written by the workflow through activities (the embedded Temporal
 * server has no visibility API, and ticket lists must survive its restarts). Every method is
 * idempotent: a retried call writes the same rows again.
 */
@ActivityInterface
public interface TicketRecordActivities {

  /** Outcomes per {@link #hostOutcomes} call: a bounded payload, and a bounded transaction, however large the batch. */
  int OUTCOMES_PER_CALL = 500;

  void ticketStarted(String ticketId, long startedAtMillis);

  /** Pauses and resumes, so listings show them. */
  void ticketStatus(String ticketId, TicketStatus status);

  /**
   * The ticket waits for its maintenance window (status WAITING, with why and until when), or runs
   * again: {@code waitingFor} null sets RUNNING and clears the reason.
   */
  void ticketWaiting(String ticketId, String waitingFor);

  /** Upserts the outcome of each host (SUCCEEDED, FAILED, NOT_RUN) and refreshes the ticket's counts. */
  void hostOutcomes(String ticketId, List<HostOutcome> outcomes);

  void ticketFinished(String ticketId, TicketResult result, long finishedAtMillis);
}
