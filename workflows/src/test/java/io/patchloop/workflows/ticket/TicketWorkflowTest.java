package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ticket and batch workflows under Temporal's test environment (time skipping). The host
 * activities here are scripted stand-ins, since this tests the orchestration alone; the real
 * scan activity against real hosts is covered by the end-to-end ticket test.
 */
class TicketWorkflowTest {

  /** Scripted scans: hosts in {@code failing} fail with UNREACHABLE, the others succeed after {@code delay}. */
  static final class ScriptedScans implements ScanActivities {
    final Set<Long> failing = ConcurrentHashMap.newKeySet();
    final List<Long> started = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    volatile Duration delay = Duration.ZERO;

    @Override
    public ScanSummary scanHost(ScanRequest request) {
      started.add(request.hostId());
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        concurrent.decrementAndGet();
      }
      if (failing.contains(request.hostId())) {
        throw ApplicationFailure.newNonRetryableFailure("host " + request.hostId() + " is down", "AUTH_FAILED");
      }
      return new ScanSummary(request.hostId(), 1, "COMPLIANT", 1, 0, 0, 0, 0, 0);
    }
  }

  /** Records in memory what the real activities write to MySQL. */
  static final class MemoryRecords implements TicketRecordActivities {
    final Map<Long, HostOutcome> outcomes = new ConcurrentHashMap<>();
    final List<TicketStatus> statuses = new CopyOnWriteArrayList<>();
    volatile TicketResult finished;
    volatile boolean started;

    @Override
    public void ticketStarted(String ticketId, long startedAtMillis) {
      started = true;
    }

    @Override
    public void ticketStatus(String ticketId, TicketStatus status) {
      statuses.add(status);
    }

    @Override
    public void hostOutcomes(String ticketId, List<HostOutcome> list) {
      list.forEach(o -> outcomes.put(o.hostId(), o));
    }

    @Override
    public void ticketFinished(String ticketId, TicketResult result, long finishedAtMillis) {
      finished = result;
    }
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;
  ScriptedScans scans;
  MemoryRecords records;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class, BatchWorkflowImpl.class);
    scans = new ScriptedScans();
    records = new MemoryRecords();
    worker.registerActivitiesImplementations(scans, records);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static TicketRequest request(String id, int hosts, BatchSpec batch, int concurrency, SuspensionSpec suspension) {
    return new TicketRequest(id, Operation.SCAN,
        LongStream.rangeClosed(1, hosts).mapToObj(h -> new TicketHost(h, "z" + (h % 3))).toList(),
        null, batch, concurrency, suspension, null);
  }

  TicketWorkflow stub(String id) {
    return client.newWorkflowStub(TicketWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.TICKETS).build());
  }

  long childWorkflowsStarted(String id) {
    return client.fetchHistory(id).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED).count();
  }

  @Test
  void runsOneChildPerBatchAndRecordsEveryHost() {
    TicketResult result = stub("t-batches").run(request("t-batches", 7, new BatchSpec(BatchSpec.Strategy.FIXED, 3, null,
        null), 2, SuspensionSpec.never()), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 7, 7, 0, 0));
    assertThat(childWorkflowsStarted("t-batches")).isEqualTo(3);
    assertThat(records.outcomes).hasSize(7);
    assertThat(records.outcomes.get(7L).batch()).isEqualTo(3);
    assertThat(records.outcomes.values()).allSatisfy(o -> assertThat(o.state()).isEqualTo(HostOutcome.SUCCEEDED));
    assertThat(records.finished).isEqualTo(result);
    assertThat(scans.started.subList(0, 3)).as("batch 1 before batch 2").containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(scans.started.subList(3, 6)).as("batch 2 before batch 3").containsExactlyInAnyOrder(4L, 5L, 6L);
  }

  @Test
  void keepsToTheConcurrencyInsideABatch() {
    scans.delay = Duration.ofMillis(200);
    stub("t-conc").run(request("t-conc", 6, BatchSpec.none(), 2, SuspensionSpec.never()), null);
    assertThat(scans.maxConcurrent.get()).isEqualTo(2);
  }

  @Test
  void stopsAtTheFailureCountAndRecordsTheRestAsNotRun() {
    scans.failing.addAll(List.of(1L, 2L));
    TicketResult result = stub("t-count").run(request("t-count", 9, new BatchSpec(BatchSpec.Strategy.FIXED, 3, null,
        null), 1, new SuspensionSpec(2, null)), null);
    assertThat(result.status()).isEqualTo(TicketStatus.ABNORMAL);
    assertThat(result.failed()).isEqualTo(2);
    assertThat(scans.started).as("no new host after the threshold").containsExactly(1L, 2L);
    assertThat(result.notRun()).isEqualTo(7);
    assertThat(records.outcomes.get(3L).state()).isEqualTo(HostOutcome.NOT_RUN);
    assertThat(records.outcomes.get(9L).state()).isEqualTo(HostOutcome.NOT_RUN);
    assertThat(records.outcomes.get(9L).errorMessage()).contains("suspension threshold");
    assertThat(childWorkflowsStarted("t-count")).as("later batches never start").isEqualTo(1);
  }

  @Test
  void stopsAtTheFailurePercentLettingRunningHostsFinish() {
    scans.failing.add(1L);
    scans.delay = Duration.ofMillis(100);
    // 10 % of 10 hosts is one failure; hosts 1 and 2 run together, so host 2 still finishes
    TicketResult result = stub("t-pct").run(request("t-pct", 10, BatchSpec.none(), 2, new SuspensionSpec(null, 10)), null);
    assertThat(result.status()).isEqualTo(TicketStatus.ABNORMAL);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.succeeded() + result.failed() + result.notRun()).isEqualTo(10);
    assertThat(result.succeeded()).isBetween(1, 2);
    assertThat(records.outcomes.get(10L).state()).isEqualTo(HostOutcome.NOT_RUN);
  }

  @Test
  void pauseHoldsNewHostsUntilResume() {
    scans.delay = Duration.ofMillis(300);
    TicketWorkflow ticket = stub("t-pause");
    WorkflowClient.start(ticket::run, request("t-pause", 4, new BatchSpec(BatchSpec.Strategy.FIXED, 1, null, null), 1,
        SuspensionSpec.never()), null);
    ticket.pause();
    env.sleep(Duration.ofMinutes(30));
    assertThat(ticket.progress().paused()).isTrue();
    assertThat(ticket.progress().status()).isEqualTo(TicketStatus.PAUSED);
    assertThat(scans.started.size()).as("at most the host that was already running").isLessThanOrEqualTo(1);
    ticket.resume();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 4, 4, 0, 0));
    assertThat(records.statuses).as("the listing shows the pause and the resume")
        .containsExactly(TicketStatus.PAUSED, TicketStatus.RUNNING);
  }

  @Test
  void cancelLetsRunningHostsFinishAndRecordsTheRest() {
    scans.delay = Duration.ofMillis(300);
    TicketWorkflow ticket = stub("t-cancel");
    WorkflowClient.start(ticket::run, request("t-cancel", 6, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 1,
        SuspensionSpec.never()), null);
    ticket.cancel();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result.status()).isEqualTo(TicketStatus.CANCELLED);
    assertThat(result.succeeded() + result.notRun()).isEqualTo(6);
    assertThat(result.notRun()).isGreaterThanOrEqualTo(4);
    assertThat(records.outcomes.values()).filteredOn(o -> o.state().equals(HostOutcome.NOT_RUN))
        .allSatisfy(o -> assertThat(o.errorMessage()).contains("cancelled"));
  }

  @Test
  void aLargeBatchContinuesAsNewAndStillCountsEveryHost() {
    int hosts = BatchWorkflowImpl.HOSTS_PER_RUN + 5;
    TicketResult result = stub("t-large").run(request("t-large", hosts, BatchSpec.none(), 50, SuspensionSpec.never()),
        null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, hosts, hosts, 0, 0));
    assertThat(records.outcomes).hasSize(hosts);
  }

  /**
   * Guards replay compatibility: a history recorded with an earlier version of the ticket workflow
   * must replay on the current code. Regenerate it only on purpose, with -Dpatchloop.recordHistory=true.
   */
  @Test
  void replaysARecordedTicketHistory() throws Exception {
    Path file = Path.of("src/test/resources/histories/ticket-scan-v1.json");
    if (Boolean.getBoolean("patchloop.recordHistory")) {
      scans.failing.add(3L);
      stub("t-recorded").run(request("t-recorded", 5, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 2,
          new SuspensionSpec(3, null)), null);
      Files.writeString(file, client.fetchHistory("t-recorded").toJson(true));
    }
    WorkflowReplayer.replayWorkflowExecution(Files.readString(file), TicketWorkflowImpl.class);
  }
}
