package io.patchloop.plans;

import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.Instant;

/**
 * A stored inspection plan.
 *
 * @param metadataRefresh never null: plans stored before the option existed read as AUTO
 */
public record InspectionPlan(
    long id,
    String name,
    String cron,
    String timeZone,
    TicketSpec.Selector selector,
    Long baselineId,
    BatchSpec batch,
    Integer concurrency,
    SuspensionSpec suspension,
    MetadataRefresh metadataRefresh,
    String overlapPolicy,
    boolean paused,
    Instant createdAt,
    Instant updatedAt) {

  public PlanSpec spec() {
    return new PlanSpec(name, cron, timeZone, selector, baselineId, batch, concurrency, suspension, metadataRefresh,
        overlapPolicy, paused);
  }

  public PlanSchedule schedule() {
    return new PlanSchedule(id, cron, timeZone, overlapPolicy, paused);
  }

  /** One time the plan fired: its ticket when it STARTED one, why when it SKIPPED or FAILED. */
  public record Run(long planId, Instant fireTime, RunOutcome outcome, String ticketId, String reason,
      Instant recordedAt) {}

  /** What one firing of a plan did. */
  public enum RunOutcome {
    /** Started its ticket. */
    STARTED,
    /** Did not start one: the ticket before was still running (overlap policy SKIP). */
    SKIPPED,
    /** Could not start one; the reason says why. */
    FAILED
  }
}
