package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.notify.NotifyWorkflowImpl;
import io.patchloop.workflows.notify.RecordedNotifications;
import io.patchloop.workflows.ticket.TicketWorkflowTest.MemoryRecords;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedHosts;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedReports;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Temporal's Web UI shows of a ticket, read back from the test server as the UI reads it:
 * each batch's static summary (DescribeWorkflowExecution's {@code execution_config.user_metadata}),
 * each host step's summary (the {@code user_metadata} of its ActivityTaskScheduled event), and the
 * ticket's and the batch's current details with their progress (the SDK's
 * {@code __temporal_workflow_metadata} query, which the UI asks). The ticket's own static summary
 * is set by whoever starts it (TicketLauncher), and checked in the API's ticket test.
 */
class TemporalUiSummariesTest {

  static final String METADATA_QUERY = "__temporal_workflow_metadata";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  ScriptedHosts hosts;
  ScriptedReports reports;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class, BatchWorkflowImpl.class,
        NotifyWorkflowImpl.class);
    List<String> steps = new CopyOnWriteArrayList<>();
    hosts = new ScriptedHosts(steps);
    reports = new ScriptedReports(steps);
    worker.registerActivitiesImplementations(hosts, reports, new MemoryRecords(), new RecordedNotifications());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  /** Four hosts in two batches of two, labelled as TicketLauncher labels them. */
  static TicketRequest labelled(String id) {
    List<TicketHost> hosts = LongStream.rangeClosed(1, 4).mapToObj(h -> new TicketHost(h, null)).toList();
    TicketLabels labels = new TicketLabels("HCE-default", Map.of(1L, "lab01 127.0.0.1:2201", 2L,
        "lab02 127.0.0.1:2202", 3L, "lab03 127.0.0.1:2203", 4L, "lab04 127.0.0.1 (agent)"));
    return new TicketRequest(id, Operation.SCAN, hosts, null, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null),
        1, SuspensionSpec.never(), null, 0, 0, null, labels);
  }

  TicketWorkflow stub(String id) {
    return client.newWorkflowStub(TicketWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.TICKETS).build());
  }

  static String text(Payload payload) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  /** The raw answer of DescribeWorkflowExecution, as the UI gets it. */
  DescribeWorkflowExecutionResponse describe(String workflowId) {
    return env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(env.getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
  }

  List<String> activitySummaries(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.hasUserMetadata() && e.getUserMetadata().hasSummary() ? text(e.getUserMetadata().getSummary())
            : "(none: " + e.getActivityTaskScheduledEventAttributes().getActivityType().getName() + ")")
        .toList();
  }

  String currentDetails(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId).query(METADATA_QUERY, WorkflowMetadata.class).getCurrentDetails();
  }

  @Test
  void batchesAndHostStepsCarrySummariesAndTheTicketItsProgress() {
    TicketResult result = stub("t-ui").run(labelled("t-ui"), null);
    assertThat(result.succeeded()).isEqualTo(4);

    DescribeWorkflowExecutionResponse batch2 = describe(TicketWorkflow.batchWorkflowId("t-ui", 2));
    assertThat(text(batch2.getExecutionConfig().getUserMetadata().getSummary()))
        .isEqualTo("SCAN 2 hosts · baseline HCE-default · batch 2/2");
    assertThat(client.newUntypedWorkflowStub(TicketWorkflow.batchWorkflowId("t-ui", 1)).describe().getStaticSummary())
        .as("the SDK's reading of the same field").isEqualTo("SCAN 2 hosts · baseline HCE-default · batch 1/2");

    // the test server keeps the summary with the child (its start event, its description), not on the
    // parent's StartChildWorkflowExecutionInitiated event, where a real server keeps it too
    HistoryEvent batchStarted = client.fetchHistory(TicketWorkflow.batchWorkflowId("t-ui", 1)).getEvents().get(0);
    assertThat(batchStarted.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assertThat(text(batchStarted.getUserMetadata().getSummary()))
        .isEqualTo("SCAN 2 hosts · baseline HCE-default · batch 1/2");

    assertThat(activitySummaries(TicketWorkflow.batchWorkflowId("t-ui", 1))).containsSubsequence(
        "scan lab01 127.0.0.1:2201", "record scan lab01 127.0.0.1:2201",
        "scan lab02 127.0.0.1:2202", "record scan lab02 127.0.0.1:2202");
    assertThat(activitySummaries(TicketWorkflow.batchWorkflowId("t-ui", 2)))
        .contains("scan lab03 127.0.0.1:2203", "record scan lab04 127.0.0.1 (agent)");

    assertThat(currentDetails("t-ui")).isEqualTo("COMPLETED · batch 2/2 · 4/4 done · 0 failed");
    assertThat(currentDetails(TicketWorkflow.batchWorkflowId("t-ui", 2))).isEqualTo("2/2 done · 0 failed");
  }

  @Test
  void theCurrentDetailsFollowTheTicketWhileItRunsAndPauses() throws InterruptedException {
    hosts.delay = Duration.ofSeconds(2);
    hosts.failing.add(1L);
    TicketWorkflow ticket = stub("t-ui-live");
    WorkflowClient.start(ticket::run, labelled("t-ui-live"), null);
    String batch1 = TicketWorkflow.batchWorkflowId("t-ui-live", 1);
    // paused while host 1 runs: it fails after its 2 s, and batch 1 then waits for the resume
    awaitDetails(() -> hosts.started.contains(1L) ? "started" : "", "started");
    ticket.pause();
    hosts.delay = Duration.ZERO;
    awaitDetails(() -> currentDetails(batch1), "1/2 done · 1 failed · paused");
    assertThat(currentDetails("t-ui-live")).as("a batch's hosts count once it ends")
        .isEqualTo("batch 1/2 · 0/4 done · 0 failed · paused");

    ticket.resume();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(currentDetails("t-ui-live")).isEqualTo("COMPLETED · batch 2/2 · 4/4 done · 1 failed");
    assertThat(activitySummaries(batch1)).contains("record failure lab01 127.0.0.1:2201");
  }

  static void awaitDetails(java.util.function.Supplier<String> details, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!expected.equals(details.get()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(details.get()).isEqualTo(expected);
  }

  @Test
  void aScheduledTicketSaysWhenItStarts() {
    TicketRequest r = labelled("t-ui-later");
    long startAt = env.currentTimeMillis() + Duration.ofHours(2).toMillis();
    TicketWorkflow ticket = stub("t-ui-later");
    WorkflowClient.start(ticket::run, new TicketRequest(r.ticketId(), r.operation(), r.hosts(), null, r.batch(),
        1, r.suspension(), null, 0, startAt, null, r.labels()), null);
    env.sleep(Duration.ofMinutes(10));
    assertThat(currentDetails("t-ui-later"))
        .isEqualTo("scheduled for " + java.time.Instant.ofEpochMilli(startAt) + " · 4 hosts in 2 batches");
    ticket.cancel();
    WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(currentDetails("t-ui-later")).isEqualTo("CANCELLED · 2 batches · 4/4 done · 0 failed · 4 not run");
  }

  /** A ticket started without labels (as before they existed) names its hosts by id and its baseline by what it is. */
  @Test
  void aTicketWithoutLabelsNamesHostsByIdAndTheBaselineByItsKind() {
    TicketRequest r = labelled("t-ui-bare");
    stub("t-ui-bare").run(new TicketRequest(r.ticketId(), r.operation(), r.hosts(), 7L, r.batch(), 1, r.suspension(),
        null, 0, 0), null);
    assertThat(client.newUntypedWorkflowStub(TicketWorkflow.batchWorkflowId("t-ui-bare", 1)).describe()
        .getStaticSummary()).isEqualTo("SCAN 2 hosts · baseline #7 · batch 1/2");
    assertThat(activitySummaries(TicketWorkflow.batchWorkflowId("t-ui-bare", 1)))
        .containsExactly("scan host 1", "record scan host 1", "scan host 2", "record scan host 2",
            "record the outcomes of 2 hosts");
  }
}
