package io.patchloop.workflows.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflowImpl;
import io.patchloop.workflows.notify.RecordedNotifications;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inspection plans under Temporal's time-skipping test environment, starting at a fixed instant.
 * The plan's activities are scripted stand-ins that record what the plan asked for; the real ones
 * (MySQL, ticket start) are covered by the end-to-end plan test.
 */
class InspectionPlanWorkflowTest {

  static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  static final class ScriptedPlans implements PlanActivities {
    final List<Long> runs = new CopyOnWriteArrayList<>();
    final List<Long> skips = new CopyOnWriteArrayList<>();
    final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Scan tickets that answer "running" this many more times before they end. */
    final Map<String, Integer> runningFor = new ConcurrentHashMap<>();
    /** Each look at a ticket, with the workflow time it came at. */
    final List<String> looks = new CopyOnWriteArrayList<>();
    final List<String> repairsAfter = new CopyOnWriteArrayList<>();
    volatile TestWorkflowEnvironment env;

    @Override
    public String startRepairAfterScan(long planId, long fireTimeMillis, String scanTicketId) {
      repairsAfter.add(scanTicketId);
      return "repair-of-" + scanTicketId;
    }

    @Override
    public String startRun(long planId, long fireTimeMillis) {
      runs.add(fireTimeMillis);
      return "t-" + fireTimeMillis;
    }

    @Override
    public boolean ticketRunning(String ticketId) {
      // to the second: the look itself takes a few milliseconds of the test server's time
      looks.add(ticketId + "@" + Instant.ofEpochMilli(env.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS));
      Integer left = runningFor.computeIfPresent(ticketId, (id, n) -> n - 1);
      return running.contains(ticketId) || (left != null && left >= 0);
    }

    @Override
    public void recordSkipped(long planId, long fireTimeMillis, String reason) {
      skips.add(fireTimeMillis);
    }
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;
  ScriptedPlans plans;
  RecordedNotifications notifications;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setInitialTime(START).build());
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(InspectionPlanWorkflowImpl.class, NotifyWorkflowImpl.class);
    plans = new ScriptedPlans();
    plans.env = env;
    notifications = new RecordedNotifications();
    worker.registerActivitiesImplementations(plans, notifications);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  InspectionPlanWorkflow startPlan(PlanSchedule schedule) {
    InspectionPlanWorkflow plan = client.newWorkflowStub(InspectionPlanWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(InspectionPlanWorkflow.workflowId(schedule.planId())).setTaskQueue(TaskQueues.TICKETS).build());
    WorkflowClient.start(plan::run, schedule, null);
    return plan;
  }

  static PlanSchedule daily(String overlap, boolean paused) {
    return new PlanSchedule(1, "0 3 * * *", "UTC", overlap, paused);
  }

  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void aDailyPlanOverThirtyDaysStartsExactlyThirtyTicketsAtThreeOClock() {
    InspectionPlanWorkflow plan = startPlan(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofDays(30));
    assertThat(plans.runs).hasSize(30);
    assertThat(plans.runs).allSatisfy(t ->
        assertThat(ZonedDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC).getHour()).isEqualTo(3));
    assertThat(plans.runs.get(0)).isEqualTo(at("2026-11-28T03:00:00Z"));
    assertThat(plan.state().started()).isEqualTo(30);
    assertThat(plan.state().nextFireAtMillis()).isEqualTo(at("2026-12-28T03:00:00Z"));
  }

  /**
   * afterScan REPAIR: the run's scan is looked at on a durable timer, ten seconds, then half as
   * long again each time, until it ends; then the repair of what it found starts, and is the plan's
   * newest ticket (what SKIP waits for).
   */
  @Test
  void aPlanThatRepairsAfterItsScanStartsTheRepairOnceTheScanEnded() {
    plans.runningFor.put("t-" + at("2026-11-28T03:00:00Z"), 2);
    InspectionPlanWorkflow plan = startPlan(new PlanSchedule(1, "0 3 * * *", "UTC", PlanSchedule.SKIP, false,
        PlanSchedule.REPAIR_AFTER_SCAN));
    env.sleep(Duration.ofDays(1));
    String scan = "t-" + at("2026-11-28T03:00:00Z");
    assertThat(plans.looks).containsExactly(scan + "@2026-11-28T03:00:10Z", scan + "@2026-11-28T03:00:25Z",
        scan + "@2026-11-28T03:00:47Z");
    assertThat(plans.repairsAfter).containsExactly(scan);
    assertThat(plan.state().lastTicketId()).isEqualTo("repair-of-" + scan);
    assertThat(plan.state().started()).isEqualTo(2);

    // a plan of the release before (no "after") starts its scan and nothing else
    plans.looks.clear();
    plan.update(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofDays(1));
    assertThat(plans.repairsAfter).hasSize(1);
    assertThat(plans.looks).isEmpty();
  }

  @Test
  void pauseSkipsRunsUntilResumed() {
    InspectionPlanWorkflow plan = startPlan(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofDays(2)); // fires on the 28th and 29th
    plan.update(daily(PlanSchedule.ALLOW, true));
    env.sleep(Duration.ofDays(5)); // 30th to 3rd: paused
    assertThat(plan.state().paused()).isTrue();
    assertThat(plan.state().nextFireAtMillis()).isZero();
    plan.update(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofDays(3)); // 4th, 5th, 6th
    assertThat(plans.runs).hasSize(5);
    assertThat(plans.runs).noneMatch(t -> t > at("2026-11-29T12:00:00Z") && t < at("2026-12-04T00:00:00Z"));
  }

  @Test
  void anUpdateChangesTheNextFireTimeAtOnce() {
    InspectionPlanWorkflow plan = startPlan(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofMinutes(1));
    assertThat(plan.state().nextFireAtMillis()).isEqualTo(at("2026-11-28T03:00:00Z"));
    plan.update(new PlanSchedule(1, "30 14 * * *", "Asia/Shanghai", PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofMinutes(1));
    // 14:30 in Shanghai is 06:30 UTC, and today's has passed (it is 10:01 UTC)
    assertThat(plan.state().nextFireAtMillis()).isEqualTo(at("2026-11-28T06:30:00Z"));
    env.sleep(Duration.ofDays(1));
    assertThat(plans.runs).containsExactly(at("2026-11-28T06:30:00Z"));
  }

  @Test
  void skipOverlapSkipsWhileThePreviousTicketRunsAndSaysSo() {
    InspectionPlanWorkflow plan = startPlan(daily(PlanSchedule.SKIP, false));
    env.sleep(Duration.ofDays(1));
    assertThat(plans.runs).hasSize(1);
    plans.running.add("t-" + plans.runs.get(0)); // the first ticket is still running
    env.sleep(Duration.ofDays(2));
    assertThat(plans.runs).hasSize(1);
    assertThat(plans.skips).containsExactly(at("2026-11-29T03:00:00Z"), at("2026-11-30T03:00:00Z"));
    assertThat(notifications.notified).extracting(NotifyRequest::kind).containsOnly(NotifyRequest.PLAN_RUN_SKIPPED);
    assertThat(notifications.notified).hasSize(2);
    plans.running.clear();
    env.sleep(Duration.ofDays(1));
    assertThat(plans.runs).hasSize(2);
    assertThat(plan.state().skipped()).isEqualTo(2);
  }

  @Test
  void triggerFiresNowAndDeleteEndsThePlan() {
    InspectionPlanWorkflow plan = startPlan(daily(PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofMinutes(5));
    plan.trigger();
    env.sleep(Duration.ofMinutes(1));
    assertThat(plans.runs).hasSize(1);
    assertThat(plans.runs.get(0)).as("when the trigger came, not at 03:00")
        .isBetween(at("2026-11-27T10:05:00Z"), at("2026-11-27T10:06:00Z"));
    plan.delete();
    env.sleep(Duration.ofDays(2));
    assertThat(plans.runs).hasSize(1);
  }

  @Test
  void historyStaysBoundedOverAYearOfHourlyRuns() {
    InspectionPlanWorkflow plan = startPlan(new PlanSchedule(1, "0 * * * *", "UTC", PlanSchedule.ALLOW, false));
    env.sleep(Duration.ofDays(10)); // 240 fires
    assertThat(plans.runs).hasSize(240);
    assertThat(plan.state().started()).as("counts carry over continue-as-new").isEqualTo(240);
    WorkflowExecution current = WorkflowExecution.newBuilder()
        .setWorkflowId(InspectionPlanWorkflow.workflowId(1)).build();
    var events = client.fetchHistory(current.getWorkflowId()).getEvents();
    assertThat(events.size()).as("the current run's history").isLessThan(
        InspectionPlanWorkflowImpl.FIRES_PER_RUN * 12 + 20);
    assertThat(events.get(0).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assertThat(events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId())
        .as("it has continued as new").isNotEmpty();
  }
}
