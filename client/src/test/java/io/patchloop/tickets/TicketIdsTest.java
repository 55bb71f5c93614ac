package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.ticket.Operation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Stored tickets and given idempotency keys depend on these exact strings. */
class TicketIdsTest {

  @Test
  void aFreshIdIsTheOperationTheUtcTimeAndSixRandomHexDigits() {
    Instant now = Instant.parse("2026-11-27T05:07:46.638Z");
    assertThat(TicketIds.fresh(Operation.SCAN, now)).matches("scan-20261127-050746-[0-9a-f]{6}");
    assertThat(TicketIds.fresh(Operation.REPAIR, now)).matches("repair-20261127-050746-[0-9a-f]{6}");
  }

  @Test
  void anIdempotencyKeysIdIsTheStartOfTheSha256OfItsTokenAndTheKey() {
    // the first 24 hex digits of sha256("ops-operator\nabc")
    assertThat(TicketIds.fromIdempotencyKey(Operation.SCAN, "ops-operator", "abc"))
        .isEqualTo("scan-key-ad50c144e2f673e442a8c4f8");
    assertThat(TicketIds.fromIdempotencyKey(Operation.REPAIR, "itsm", "CHG0031337-1"))
        .isEqualTo("repair-key-" + IdempotentTickets.sha256("itsm\nCHG0031337-1").substring(0, 24));
  }

  @Test
  void theSameKeyFromAnotherTokenGivesAnotherId() {
    assertThat(TicketIds.fromIdempotencyKey(Operation.SCAN, "itsm-a", "CHG0031337"))
        .isNotEqualTo(TicketIds.fromIdempotencyKey(Operation.SCAN, "itsm-b", "CHG0031337"));
  }

  @Test
  void aPlanRunsIdIsThePlanAndTheFireTimeInUtc() {
    assertThat(TicketIds.forPlanRun(1, Instant.parse("2026-11-27T08:15:02.999Z"))).isEqualTo("plan1-20261127-081502");
  }
}
