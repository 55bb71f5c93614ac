package io.patchloop.workflows.notify;

/**
 * Something people may want to hear about.
 *
 * @param kind TICKET_ENDED (covers the ticket-finished, ticket-ABNORMAL and hosts-newly-non-compliant
 *     events) or PLAN_RUN_SKIPPED
 */
public record NotifyRequest(String kind, String ticketId, long planId, long fireTimeMillis, String reason) {

  public static final String TICKET_ENDED = "TICKET_ENDED";
  public static final String PLAN_RUN_SKIPPED = "PLAN_RUN_SKIPPED";

  public static NotifyRequest ticketEnded(String ticketId) {
    return new NotifyRequest(TICKET_ENDED, ticketId, 0, 0, null);
  }

  public static NotifyRequest planRunSkipped(long planId, long fireTimeMillis, String reason) {
    return new NotifyRequest(PLAN_RUN_SKIPPED, null, planId, fireTimeMillis, reason);
  }
}
