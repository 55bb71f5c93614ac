package io.patchloop.workflows.ticket;

/** A ticket's life: created, running (or paused), then one of the four ends. */
public enum TicketStatus {
  CREATED,
  /** Waiting for its {@code startAt}. */
  SCHEDULED,
  RUNNING,
  PAUSED,
  /** Outside its maintenance window: running hosts finished, no new one starts until the window opens. */
  WAITING,
  /** Every host ran (some may have failed, below the suspension threshold). */
  COMPLETED,
  /** Failures reached the suspension threshold: no new host started, the rest are recorded as not run. */
  ABNORMAL,
  /** Cancelled by a person: running hosts finished, the rest are recorded as not run. */
  CANCELLED,
  /**
   * Its workflow failed, timed out, was terminated or is gone: recorded from outside the workflow
   * (which can no longer run), with the reason; hosts that had not finished are recorded as not run.
   */
  FAILED;

  public boolean finished() {
    return this == COMPLETED || this == ABNORMAL || this == CANCELLED || this == FAILED;
  }
}
