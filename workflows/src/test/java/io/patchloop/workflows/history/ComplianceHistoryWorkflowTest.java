package io.patchloop.workflows.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daily snapshot under Temporal's test environment, whose clock skips ahead over the timers. */
class ComplianceHistoryWorkflowTest {

  static final Instant START = Instant.parse("2026-11-27T00:00:00Z");

  /** The snapshot activity, recording the days it was asked for and when. */
  static final class RecordedSnapshots implements ComplianceHistoryActivities {
    final List<String> days = new CopyOnWriteArrayList<>();
    final List<Instant> at = new CopyOnWriteArrayList<>();
    final Set<String> failingDays = ConcurrentHashMap.newKeySet();
    volatile String nextTime = "01:00";
    TestWorkflowEnvironment env;

    @Override
    public SnapshotTaken takeSnapshot(String day) {
      days.add(day);
      at.add(Instant.ofEpochMilli(env.currentTimeMillis()));
      if (failingDays.contains(day)) {
        throw ApplicationFailure.newNonRetryableFailure("database away", "DatabaseAway");
      }
      return new SnapshotTaken(3, 0, nextTime);
    }
  }

  final RecordedSnapshots snapshots = new RecordedSnapshots();
  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(START).build());
    snapshots.env = env;
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(ComplianceHistoryWorkflowImpl.class);
    worker.registerActivitiesImplementations(snapshots);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  WorkflowExecution startHistory(String timeOfDay) {
    ComplianceHistoryWorkflow workflow = client.newWorkflowStub(ComplianceHistoryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ComplianceHistoryWorkflow.WORKFLOW_ID)
            .setTaskQueue(TaskQueues.TICKETS).build());
    return WorkflowClient.start(workflow::run, timeOfDay);
  }

  long nextSnapshotAt() {
    return client.newWorkflowStub(ComplianceHistoryWorkflow.class, ComplianceHistoryWorkflow.WORKFLOW_ID)
        .nextSnapshotAt();
  }

  @Test
  void takesTheSnapshotAtTheConfiguredTimeOnConsecutiveDaysOneRunEach() {
    WorkflowExecution first = startHistory("01:00");
    env.sleep(Duration.ofMinutes(59));
    assertThat(snapshots.days).as("not before 01:00").isEmpty();
    assertThat(Instant.ofEpochMilli(nextSnapshotAt())).isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));

    env.sleep(Duration.ofMinutes(2));
    assertThat(snapshots.days).containsExactly("2026-11-27");
    env.sleep(Duration.ofDays(2));
    assertThat(snapshots.days).containsExactly("2026-11-27", "2026-11-28", "2026-11-29");
    assertThat(snapshots.at).extracting(i -> i.toString().substring(11, 16)).containsOnly("01:00");
    assertThat(Instant.ofEpochMilli(nextSnapshotAt())).isEqualTo(Instant.parse("2026-11-30T01:00:00Z"));

    // each snapshot ended its run: the first run continued as new after its one snapshot
    List<HistoryEvent> events = client.fetchHistory(first.getWorkflowId(), first.getRunId()).getEvents();
    assertThat(events.get(events.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .hasSize(1);
    assertThat(client.fetchHistory(first.getWorkflowId()).getEvents().size()).as("the current run's history")
        .isLessThan(events.size());
  }

  @Test
  void aChangedTimeOfDayTakesEffectFromTheNextSnapshot() {
    startHistory("01:00");
    env.sleep(Duration.ofMinutes(61));
    assertThat(snapshots.days).containsExactly("2026-11-27");
    snapshots.nextTime = "23:30"; // the worker restarted with patchloop.history.time=23:30
    env.sleep(Duration.ofHours(1)); // the run already sleeping until tomorrow 01:00 keeps its time
    assertThat(snapshots.days).containsExactly("2026-11-27");
    env.sleep(Duration.ofDays(1));
    assertThat(snapshots.days).containsExactly("2026-11-27", "2026-11-28");
    env.sleep(Duration.ofHours(23));
    assertThat(snapshots.days).containsExactly("2026-11-27", "2026-11-28", "2026-11-28");
    assertThat(snapshots.at.get(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .isEqualTo(Instant.parse("2026-11-28T23:30:00Z"));
  }

  @Test
  void aDayWhoseSnapshotFailsIsGivenUpAndTheNextDayTakenAsUsual() {
    snapshots.failingDays.add("2026-11-27");
    startHistory("01:00");
    env.sleep(Duration.ofDays(1).plusHours(2));
    assertThat(snapshots.days).containsExactly("2026-11-27", "2026-11-28");
  }

  @Test
  void theNextTimeIsTodaysUntilItHasPassed() {
    Instant now = Instant.parse("2026-11-27T00:59:59.999Z");
    assertThat(ComplianceHistoryWorkflowImpl.nextAt(now, LocalTime.of(1, 0)))
        .isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));
    assertThat(ComplianceHistoryWorkflowImpl.nextAt(Instant.parse("2026-11-27T01:00:00Z"), LocalTime.of(1, 0)))
        .isEqualTo(Instant.parse("2026-11-28T01:00:00Z"));
    assertThat(ComplianceHistoryWorkflowImpl.nextAt(Instant.parse("2026-12-31T23:59:00Z"), LocalTime.of(0, 0)))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  /**
   * Guards replay compatibility of a run (sleep, snapshot, continue as new). A missing newest
   * history is recorded when run with -Dpatchloop.recordHistory=true; delete it first to record it
   * again, only on purpose.
   */
  @Test
  void replaysARecordedRun() throws Exception {
    Path file = Path.of("src/test/resources/histories", "compliance-history-v1.json");
    if (Boolean.getBoolean("patchloop.recordHistory") && !Files.exists(file)) {
      WorkflowExecution first = startHistory("01:00");
      env.sleep(Duration.ofHours(2));
      Files.writeString(file, client.fetchHistory(first.getWorkflowId(), first.getRunId()).toJson(true));
    }
    WorkflowReplayer.replayWorkflowExecution(Files.readString(file), ComplianceHistoryWorkflowImpl.class);
  }
}
