package io.patchloop.tickets;

import io.patchloop.workflows.ticket.Operation;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Every shape a ticket id has; the id is also the ticket's workflow id. Tickets already stored
 * keep their ids, so none of these shapes may ever change. (A stored idempotency key keeps the id
 * it made in its row; the id is derived only when the key makes a ticket.)
 */
public final class TicketIds {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private TicketIds() {}

  /** {@code scan-20261127-050746-a435e5}: readable in listings; the random suffix keeps tickets of one second apart. */
  public static String fresh(Operation operation, Instant now) {
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return prefix(operation) + "-" + TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
  }

  /**
   * {@code scan-key-5f0c2a9e4d1b7c3a8e6f1d20}: the same key from the same API token gives the same
   * ticket, whichever replica answers; from another token, another ticket. A key is printable ASCII,
   * so the newline between the token's name and the key cannot make two pairs one text.
   */
  public static String fromIdempotencyKey(Operation operation, String owner, String key) {
    return prefix(operation) + "-key-" + IdempotentTickets.sha256(owner + "\n" + key).substring(0, 24);
  }

  /** {@code plan1-20261127-081502}: a retried run of the plan finds the ticket it started. */
  public static String forPlanRun(long planId, Instant fireTime) {
    return "plan" + planId + "-" + TIME.format(fireTime);
  }

  /** The repair that follows a plan run's scan ({@code afterScan: REPAIR}). */
  public static String forPlanRepairAfterScan(long planId, Instant fireTime) {
    return forPlanRun(planId, fireTime) + "-repair";
  }

  private static String prefix(Operation operation) {
    return operation.name().toLowerCase();
  }
}
