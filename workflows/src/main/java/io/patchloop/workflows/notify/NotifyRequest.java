package io.patchloop.workflows.notify;

/**
 * Something people may want to hear about.
 *
 * @param kind TICKET_ENDED (covers the ticket-finished, ticket-ABNORMAL and hosts-newly-non-compliant
 *     events), PLAN_RUN_SKIPPED, or MAINTENANCE_WINDOW (a window-bound ticket started in its window,
 *     waits for it, resumed, or ended: {@code reason} says which, {@code fireTimeMillis} when it
 *     happened or, for WAITING, when the window opens)
 */
public record NotifyRequest(String kind, String ticketId, long planId, long fireTimeMillis, String reason) {

  public static final String TICKET_ENDED = "TICKET_ENDED";
  public static final String PLAN_RUN_SKIPPED = "PLAN_RUN_SKIPPED";
  public static final String MAINTENANCE_WINDOW = "MAINTENANCE_WINDOW";

  /** What happened to a window-bound ticket. */
  public enum WindowPhase {
    /** Its first host started inside the window. */
    STARTED,
    /** The window closed with hosts left: it waits for the next opening. */
    WAITING,
    /** The window opened again and its hosts start again. */
    RESUMED,
    /** The ticket ended. */
    ENDED
  }

  /** @param atMillis when it happened, or for WAITING when the window opens again */
  public static NotifyRequest window(String ticketId, WindowPhase phase, long atMillis) {
    return new NotifyRequest(MAINTENANCE_WINDOW, ticketId, 0, atMillis, phase.name());
  }

  public static NotifyRequest ticketEnded(String ticketId) {
    return new NotifyRequest(TICKET_ENDED, ticketId, 0, 0, null);
  }

  public static NotifyRequest planRunSkipped(long planId, long fireTimeMillis, String reason) {
    return new NotifyRequest(PLAN_RUN_SKIPPED, null, planId, fireTimeMillis, reason);
  }
}
