package io.patchloop.plans;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.Instant;

/**
 * A stored inspection plan.
 *
 * @param metadataRefresh never null: plans stored before the option existed read as AUTO
 * @param operation never null: plans stored before plans could repair read as SCAN
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
    Instant updatedAt,
    Operation operation,
    Operation afterScan,
    RebootOption rebootOption,
    Integer rebootTimeoutSeconds,
    String preHook,
    String postHook,
    String maintenanceWindow,
    ComplianceLevel minLevel) {

  public PlanSpec spec() {
    return new PlanSpec(name, cron, timeZone, selector, baselineId, batch, concurrency, suspension, metadataRefresh,
        overlapPolicy, paused, operation, afterScan, rebootOption, rebootTimeoutSeconds, preHook, postHook,
        maintenanceWindow, minLevel);
  }

  public PlanSchedule schedule() {
    return new PlanSchedule(id, cron, timeZone, overlapPolicy, paused,
        afterScan == Operation.REPAIR ? PlanSchedule.REPAIR_AFTER_SCAN : null);
  }

  /**
   * One time the plan fired: its ticket when it STARTED one, why when it SKIPPED or FAILED; for
   * {@code afterScan: REPAIR}, the repair that followed the scan, or why there was none.
   */
  public record Run(long planId, Instant fireTime, RunOutcome outcome, String ticketId, String reason,
      Instant recordedAt, String repairTicketId, String repairReason) {

    public Run(long planId, Instant fireTime, RunOutcome outcome, String ticketId, String reason, Instant recordedAt) {
      this(planId, fireTime, outcome, ticketId, reason, recordedAt, null, null);
    }
  }

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
