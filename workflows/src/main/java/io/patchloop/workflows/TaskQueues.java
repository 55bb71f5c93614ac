package io.patchloop.workflows;

/** Task queue names, shared by the workers that poll them and the workflows that route to them. */
public final class TaskQueues {

  /** Ticket workflows and the central activities (scans over SSH, records, evaluation). */
  public static final String TICKETS = "patchloop-tickets";

  /** Prefix of the queue an AGENT host's own agent polls; only that agent runs its host-side steps. */
  public static final String HOST_PREFIX = "patchloop-host-";

  private TaskQueues() {}

  /** The task queue of host {@code hostId}'s agent. */
  public static String forHost(long hostId) {
    if (hostId <= 0) {
      throw new IllegalArgumentException("host id must be positive: " + hostId);
    }
    return HOST_PREFIX + hostId;
  }
}
