package io.patchloop.workflows.ticket;

/** A ticket's life: created, running (or paused), then one of the three ends. */
public enum TicketStatus {
  CREATED,
  /** Waiting for its {@code startAt}. */
  SCHEDULED,
  RUNNING,
  PAUSED,
  /** Every host ran (some may have failed, below the suspension threshold). */
  COMPLETED,
  /** Failures reached the suspension threshold: no new host started, the rest are recorded as not run. */
  ABNORMAL,
  /** Cancelled by a person: running hosts finished, the rest are recorded as not run. */
  CANCELLED;

  public boolean finished() {
    return this == COMPLETED || this == ABNORMAL || this == CANCELLED;
  }
}
