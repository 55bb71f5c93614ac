package io.patchloop.plans;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.reports.ReportStore;
import io.patchloop.tickets.PreparedTicket;
import io.patchloop.tickets.TicketIds;
import io.patchloop.tickets.TicketPreview;
import io.patchloop.tickets.TicketPreviewer;
import io.patchloop.tickets.TicketService;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.plan.PlanActivities;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.Operation;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Starts a plan's tickets and records its runs. */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class PlanActivitiesImpl implements PlanActivities {

  private static final Logger log = LoggerFactory.getLogger(PlanActivitiesImpl.class);

  private final PlanStore plans;
  private final TicketService tickets;
  private final TicketStore ticketRecords;
  private final TicketPreviewer previewer;
  private final ReportStore reports;

  public PlanActivitiesImpl(PlanStore plans, TicketService tickets, TicketStore ticketRecords,
      TicketPreviewer previewer, ReportStore reports) {
    this.plans = plans;
    this.tickets = tickets;
    this.ticketRecords = ticketRecords;
    this.previewer = previewer;
    this.reports = reports;
  }

  /**
   * Starts a repair a plan made, with its preview recorded on it: what the plan decided to install,
   * batch by batch, at the moment it decided.
   */
  private void startRepair(long planId, TicketSpec spec, String id) {
    PreparedTicket prepared = tickets.prepare(spec);
    TicketPreview.Summary preview = previewer.preview(prepared).summary();
    tickets.createPlanRun(planId, prepared, id);
    ticketRecords.setPreview(id, JsonText.write(preview));
  }

  @Override
  public String startRun(long planId, long fireTimeMillis) {
    Instant fireTime = Instant.ofEpochMilli(fireTimeMillis);
    var earlier = plans.run(planId, fireTime);
    if (earlier.isPresent()) {
      return earlier.get().ticketId();
    }
    InspectionPlan plan = plans.find(planId).orElse(null);
    if (plan == null) {
      return null; // deleted while it fired; its workflow ends on the delete signal
    }
    String id = TicketIds.forPlanRun(planId, fireTime);
    try {
      ticketRecords.get(id);
    } catch (NotFoundException notYet) {
      PlanSpec spec = plan.spec().normalized();
      try {
        if (spec.operation() == Operation.REPAIR) {
          startRepair(planId, spec.ticket(), id);
        } else {
          tickets.createPlanRun(planId, spec.ticket(), id);
        }
      } catch (InvalidInputException e) {
        String why = reasons(e);
        if (spec.operation() == Operation.REPAIR && e.problems().stream()
            .anyMatch(p -> p.field().equals("selector") && p.reason().equals("selects no host"))) {
          // nothing is NON_COMPLIANT: the loop is closed, not broken
          plans.recordRun(planId, fireTime, InspectionPlan.RunOutcome.SKIPPED, null,
              "no selected host is NON_COMPLIANT: nothing to repair");
          return null;
        }
        plans.recordRun(planId, fireTime, InspectionPlan.RunOutcome.FAILED, null, why);
        log.warn("plan {} ({}) could not start its ticket: {}", planId, plan.name(), why);
        return null;
      }
    }
    plans.recordRun(planId, fireTime, InspectionPlan.RunOutcome.STARTED, id, null);
    log.info("plan {} ({}) started ticket {}", planId, plan.name(), id);
    return id;
  }

  @Override
  public String startRepairAfterScan(long planId, long fireTimeMillis, String scanTicketId) {
    Instant fireTime = Instant.ofEpochMilli(fireTimeMillis);
    InspectionPlan plan = plans.find(planId).orElse(null);
    if (plan == null) {
      return null;
    }
    String id = TicketIds.forPlanRepairAfterScan(planId, fireTime);
    try {
      ticketRecords.get(id);
      plans.recordRepairAfterScan(planId, fireTime, id, null);
      return id; // a retry after the ticket was made
    } catch (NotFoundException notYet) {
      // made below
    }
    TicketStore.TicketRow scan = ticketRecords.get(scanTicketId);
    PlanSpec spec = plan.spec().normalized();
    List<Long> nonCompliant = ticketRecords.hosts(scanTicketId).stream()
        .filter(h -> HostOutcome.State.SUCCEEDED.name().equals(h.state())
            && ComplianceStatus.NON_COMPLIANT.name().equals(h.complianceStatus()))
        .map(TicketStore.TicketHostRow::hostId).toList();
    if (spec.minLevel() != null && !nonCompliant.isEmpty()) {
      Set<Long> atLevel = new HashSet<>();
      for (ReportStore.TicketPatchRow p : reports.nonCompliantPatchesOf(scanTicketId)) {
        if (p.complianceLevel() != null
            && ComplianceLevel.valueOf(p.complianceLevel()).ordinal() <= spec.minLevel().ordinal()) {
          atLevel.add(p.hostId());
        }
      }
      nonCompliant = nonCompliant.stream().filter(atLevel::contains).toList();
    }
    if (nonCompliant.isEmpty()) {
      String why = "the scan " + scanTicketId + " (" + scan.status() + ") found no non-compliant host"
          + (spec.minLevel() == null ? "" : " with a patch at " + spec.minLevel() + " or above");
      plans.recordRepairAfterScan(planId, fireTime, null, why);
      log.info("plan {} ({}): {}", planId, plan.name(), why);
      return null;
    }
    try {
      startRepair(planId, spec.repairAfterScan(nonCompliant), id);
    } catch (InvalidInputException e) {
      String why = "the repair after scan " + scanTicketId + " could not start: " + reasons(e);
      plans.recordRepairAfterScan(planId, fireTime, null, why);
      log.warn("plan {} ({}): {}", planId, plan.name(), why);
      return null;
    }
    plans.recordRepairAfterScan(planId, fireTime, id, null);
    log.info("plan {} ({}) started repair {} of {} host(s) its scan {} found non-compliant", planId, plan.name(), id,
        nonCompliant.size(), scanTicketId);
    return id;
  }

  private static String reasons(InvalidInputException e) {
    return e.problems().stream().map(p -> p.field() + " " + p.reason()).collect(Collectors.joining("; "));
  }

  @Override
  public boolean ticketRunning(String ticketId) {
    try {
      return !ticketRecords.get(ticketId).status().finished();
    } catch (NotFoundException gone) {
      return false;
    }
  }

  @Override
  public void recordSkipped(long planId, long fireTimeMillis, String reason) {
    if (plans.find(planId).isPresent()) {
      plans.recordRun(planId, Instant.ofEpochMilli(fireTimeMillis), InspectionPlan.RunOutcome.SKIPPED, null, reason);
    }
  }
}
