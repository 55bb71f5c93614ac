package io.patchloop.workflows.plan;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One inspection plan: sleeps until the next fire time of its cron expression, then starts a SCAN
 * ticket (or skips, when the previous one still runs and the overlap policy is SKIP), for as long
 * as the plan exists. The embedded Temporal server has no Schedules API, hence a workflow.
 */
@WorkflowInterface
public interface InspectionPlanWorkflow {

  static String workflowId(long planId) {
    return "plan-" + planId;
  }

  @WorkflowMethod
  void run(PlanSchedule schedule, PlanCarry carried);

  /** A new schedule (cron, zone, overlap, paused): takes effect at once, the next fire time is recomputed. */
  @SignalMethod
  void update(PlanSchedule schedule);

  /** Fires once now, whatever the schedule says (the overlap policy still applies). */
  @SignalMethod
  void trigger();

  /** The plan was deleted: the workflow ends; tickets it started run on. */
  @SignalMethod
  void delete();

  @QueryMethod
  PlanState state();
}
