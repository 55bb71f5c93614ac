package io.patchloop.notifications;

/** What a subscription listens for. */
public enum NotificationEvent {
  /** A ticket ended, however it ended. */
  TICKET_FINISHED,
  /**
   * A ticket ended ABNORMAL (its suspension threshold was reached, or its batch hook failed) or
   * FAILED (its workflow ended without it).
   */
  TICKET_ABNORMAL,
  /** A ticket left hosts NON_COMPLIANT that were not before, with a patch at or above the subscription's level. */
  HOSTS_NON_COMPLIANT,
  /** An inspection plan did not start its ticket (the previous one still ran). */
  PLAN_RUN_SKIPPED,
  /**
   * A ticket bound to a maintenance window started inside it, waits for its next opening, resumed,
   * or ended.
   */
  MAINTENANCE_WINDOW
}
