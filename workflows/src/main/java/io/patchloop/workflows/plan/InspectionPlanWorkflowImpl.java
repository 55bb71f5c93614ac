package io.patchloop.workflows.plan;

import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Waits for the next fire time with a durable timer that a signal (update, pause, trigger, delete)
 * cuts short, then fires. Continues as new every {@link #FIRES_PER_RUN} fires, so a plan that runs
 * for years keeps a short history.
 */
public class InspectionPlanWorkflowImpl implements InspectionPlanWorkflow {

  static final int FIRES_PER_RUN = 50;

  private final PlanActivities activities = Workflow.newActivityStub(PlanActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofMinutes(1)).build())
          .build());

  private PlanSchedule schedule;
  private int version;
  private boolean triggered;
  private boolean deleted;
  private long nextFireAt;
  private String lastTicketId;
  private int started;
  private int skipped;

  @Override
  public void run(PlanSchedule initial, PlanCarry carried) {
    schedule = initial;
    if (carried != null) {
      lastTicketId = carried.lastTicketId();
      started = carried.started();
      skipped = carried.skipped();
    }
    int fires = 0;
    while (!deleted) {
      if (fires >= FIRES_PER_RUN || (fires > 0 && Workflow.getInfo().isContinueAsNewSuggested())) {
        Workflow.continueAsNew(schedule, new PlanCarry(lastTicketId, started, skipped));
      }
      int seen = version;
      long now = Workflow.currentTimeMillis();
      if (schedule.paused()) {
        nextFireAt = 0;
        Workflow.await(() -> deleted || triggered || version != seen);
      } else {
        ZoneId zone = ZoneId.of(schedule.timeZone());
        nextFireAt = Cron.parse(schedule.cron())
            .next(ZonedDateTime.ofInstant(Instant.ofEpochMilli(now), zone), zone).toInstant().toEpochMilli();
        Workflow.await(Duration.ofMillis(nextFireAt - now), () -> deleted || triggered || version != seen);
      }
      if (deleted) {
        break;
      }
      boolean due = triggered || (!schedule.paused() && version == seen);
      if (!due) {
        continue; // the schedule changed: compute the next fire time from the new one
      }
      long fireTime = triggered ? Workflow.currentTimeMillis() : nextFireAt;
      triggered = false;
      fire(fireTime);
      fires++;
    }
  }

  private void fire(long fireTime) {
    if (PlanSchedule.SKIP.equals(schedule.overlap()) && lastTicketId != null
        && activities.ticketRunning(lastTicketId)) {
      String reason = "the previous ticket " + lastTicketId + " is still running (overlap policy SKIP)";
      activities.recordSkipped(schedule.planId(), fireTime, reason);
      skipped++;
      notifySkipped(fireTime, reason);
      return;
    }
    String ticketId = activities.startRun(schedule.planId(), fireTime);
    if (ticketId != null) {
      lastTicketId = ticketId;
      started++;
      if (schedule.repairsAfterScan()) {
        repairAfterScan(fireTime, ticketId);
      }
    }
  }

  /** The first wait for a run's scan to end; each next one is half as long again, up to {@link #LONGEST_SCAN_POLL}. */
  static final Duration FIRST_SCAN_POLL = Duration.ofSeconds(10);
  static final Duration LONGEST_SCAN_POLL = Duration.ofMinutes(2);

  /**
   * {@code afterScan: REPAIR}: waits for the run's scan to end (the ticket is its own workflow, so
   * its end is polled, a durable timer between two looks), then starts the repair of the hosts it
   * found non-compliant. The plan fires no new run meanwhile: a fire time that passes is taken at
   * the next one, as with a long ticket under SKIP.
   */
  private void repairAfterScan(long fireTime, String scanTicketId) {
    Duration poll = FIRST_SCAN_POLL;
    while (true) {
      Workflow.await(poll, () -> deleted);
      if (deleted) {
        return;
      }
      if (!activities.ticketRunning(scanTicketId)) {
        break;
      }
      long next = Math.min(LONGEST_SCAN_POLL.toMillis(), poll.toMillis() * 3 / 2);
      poll = Duration.ofMillis(next);
    }
    String repair = activities.startRepairAfterScan(schedule.planId(), fireTime, scanTicketId);
    if (repair != null) {
      lastTicketId = repair;
      started++;
    }
  }

  /** Told by a child of its own that outlives this run, so a failing channel never holds the plan up. */
  private void notifySkipped(long fireTime, String reason) {
    NotifyWorkflow notify = Workflow.newChildWorkflowStub(NotifyWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(InspectionPlanWorkflow.workflowId(schedule.planId()) + "/skipped-" + fireTime)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build());
    Async.procedure(notify::send, NotifyRequest.planRunSkipped(schedule.planId(), fireTime, reason));
    Workflow.getWorkflowExecution(notify).get();
  }

  @Override
  public void update(PlanSchedule next) {
    schedule = next;
    version++;
  }

  @Override
  public void trigger() {
    triggered = true;
  }

  @Override
  public void delete() {
    deleted = true;
  }

  @Override
  public PlanState state() {
    return new PlanState(schedule.cron(), schedule.timeZone(), schedule.paused(), nextFireAt, lastTicketId, started,
        skipped);
  }
}
