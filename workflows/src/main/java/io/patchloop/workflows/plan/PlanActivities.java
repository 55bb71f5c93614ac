package io.patchloop.workflows.plan;

import io.temporal.activity.ActivityInterface;

/** What a plan does in MySQL and Temporal when it fires; each call is idempotent for one fire time. */
@ActivityInterface
public interface PlanActivities {

  /**
   * Starts the plan's SCAN ticket for this fire time (its id derives from the plan and the time,
   * so a retry finds the same ticket) and records the run.
   *
   * @return the ticket id, or null when the plan's selector selects no host (recorded as a failed run)
   */
  String startRun(long planId, long fireTimeMillis);

  /**
   * After a run's scan ended ({@code afterScan: REPAIR}): starts the repair of the hosts the scan
   * left NON_COMPLIANT, with the plan's repair settings, and records it on the run. Its id derives
   * from the run's, so a retry finds the same ticket.
   *
   * @return the repair ticket's id, or null when there was nothing to repair or it could not start (recorded why)
   */
  String startRepairAfterScan(long planId, long fireTimeMillis, String scanTicketId);

  /** Whether the ticket is still running (not COMPLETED, ABNORMAL or CANCELLED). */
  boolean ticketRunning(String ticketId);

  /** Records a run that did not start a ticket, and why. */
  void recordSkipped(long planId, long fireTimeMillis, String reason);
}
