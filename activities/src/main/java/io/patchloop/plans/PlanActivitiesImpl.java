package io.patchloop.plans;

import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.tickets.TicketIds;
import io.patchloop.tickets.TicketService;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.plan.PlanActivities;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
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

  public PlanActivitiesImpl(PlanStore plans, TicketService tickets, TicketStore ticketRecords) {
    this.plans = plans;
    this.tickets = tickets;
    this.ticketRecords = ticketRecords;
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
      try {
        tickets.createPlanRun(planId, plan.spec().normalized().ticket(), id);
      } catch (InvalidInputException e) {
        String why = e.problems().stream().map(p -> p.field() + " " + p.reason()).collect(Collectors.joining("; "));
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
