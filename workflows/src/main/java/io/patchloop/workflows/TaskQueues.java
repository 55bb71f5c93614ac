package io.patchloop.workflows;

/** Task queue names, shared by the workers that poll them and the workflows that route to them. */
public final class TaskQueues {

  /** Ticket workflows and the central activities (scans over SSH, records, evaluation). */
  public static final String TICKETS = "patchloop-tickets";

  private TaskQueues() {}
}
