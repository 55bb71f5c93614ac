package io.patchloop.plans;

import io.patchloop.common.WorkflowQueries;
import io.patchloop.tickets.TicketService;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.plan.InspectionPlanWorkflow;
import io.patchloop.workflows.plan.PlanState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Plans in MySQL, each with its schedule workflow in Temporal: every change is written to MySQL
 * first, then signalled to the workflow, so it takes effect at once.
 */
@Service
public class PlanService {

  private static final Logger log = LoggerFactory.getLogger(PlanService.class);

  private final PlanStore plans;
  private final TicketService tickets;
  /** Looked up on first use: the stores' own tests run these beans without Temporal. */
  private final ObjectProvider<WorkflowClient> temporalClient;

  public PlanService(PlanStore plans, TicketService tickets, ObjectProvider<WorkflowClient> temporalClient) {
    this.plans = plans;
    this.tickets = tickets;
    this.temporalClient = temporalClient;
  }

  /** A plan and, when its workflow answers in time, its live state (next fire time). */
  public record PlanView(InspectionPlan plan, PlanState state) {}

  public PlanView create(PlanSpec raw) {
    PlanSpec spec = check(raw);
    InspectionPlan plan = plans.create(spec);
    try {
      ensureRunning(plan);
    } catch (RuntimeException e) {
      plans.delete(plan.id()); // a plan without its workflow would never fire
      throw new IllegalStateException("Temporal did not accept the plan's workflow: " + e.getMessage(), e);
    }
    return view(plan);
  }

  public PlanView update(long id, PlanSpec raw) {
    plans.get(id);
    PlanSpec spec = check(raw);
    InspectionPlan plan = plans.update(id, spec);
    signal(plan);
    return view(plan);
  }

  public PlanView setPaused(long id, boolean paused) {
    InspectionPlan current = plans.get(id);
    PlanSpec s = current.spec();
    InspectionPlan plan = plans.update(id, s.withPaused(paused));
    signal(plan);
    return view(plan);
  }

  public void trigger(long id) {
    InspectionPlan plan = plans.get(id);
    ensureRunning(plan);
    stub(id).trigger();
  }

  public void delete(long id) {
    plans.get(id);
    try {
      stub(id).delete();
    } catch (RuntimeException gone) {
      log.info("plan {}: its workflow was not running ({})", id, gone.getMessage());
    }
    plans.delete(id);
  }

  public PlanView get(long id) {
    return view(plans.get(id));
  }

  public List<PlanView> list() {
    return plans.list().stream().map(p -> new PlanView(p, null)).toList();
  }

  public List<InspectionPlan.Run> runs(long id, int limit) {
    plans.get(id);
    return plans.runs(id, limit);
  }

  /**
   * Starts the workflow of every plan that has none running: after the embedded Temporal server
   * restarted (it keeps no history), or when a start failed midway.
   */
  public void ensureAllRunning() {
    for (InspectionPlan plan : plans.list()) {
      try {
        ensureRunning(plan);
      } catch (RuntimeException e) {
        log.warn("could not start the workflow of plan {} ({}): {}", plan.id(), plan.name(), e.getMessage());
      }
    }
  }

  private void ensureRunning(InspectionPlan plan) {
    InspectionPlanWorkflow workflow = temporal().newWorkflowStub(InspectionPlanWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(InspectionPlanWorkflow.workflowId(plan.id()))
        .setTaskQueue(TaskQueues.TICKETS)
        .build());
    try {
      WorkflowClient.start(workflow::run, plan.schedule(), null);
      log.info("started the workflow of plan {} ({})", plan.id(), plan.name());
    } catch (WorkflowExecutionAlreadyStarted running) {
      // it runs already: nothing to do
    }
  }

  private void signal(InspectionPlan plan) {
    ensureRunning(plan);
    stub(plan.id()).update(plan.schedule());
  }

  private InspectionPlanWorkflow stub(long id) {
    return temporal().newWorkflowStub(InspectionPlanWorkflow.class, InspectionPlanWorkflow.workflowId(id));
  }

  private PlanSpec check(PlanSpec raw) {
    PlanSpec spec = raw.normalized();
    spec.validate().throwIfAny("Invalid inspection plan");
    // the ticket part is checked exactly as a ticket is: its hosts and baseline as the scan's, the
    // repair's settings (hooks, window) without hosts, which are known only when it runs
    tickets.prepare(spec.scanTicket());
    if (spec.repairs()) {
      tickets.checkSettings(spec.repairTicket());
    }
    return spec;
  }

  /** The plan and its workflow's state; the state is null when no worker answers in time. */
  private PlanView view(InspectionPlan plan) {
    return new PlanView(plan, WorkflowQueries.within(() -> stub(plan.id()).state(), "plan " + plan.id()));
  }

  private WorkflowClient temporal() {
    return temporalClient.getObject();
  }
}
