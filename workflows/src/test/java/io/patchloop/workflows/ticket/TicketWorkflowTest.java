package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.PatchState;
import io.patchloop.inventory.HostInventory;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.window.MaintenanceWindow;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.host.ReportActivities;
import io.patchloop.workflows.host.SshHostActivities;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.notify.NotifyWorkflowImpl;
import io.patchloop.workflows.notify.RecordedNotifications;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.MetadataRefresh;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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

  /**
   * Scripted SSH hosts: hosts in {@code failing} fail to be read with AUTH_FAILED, the others answer
   * after {@code delay}; every repair plan has one patch, which fails on hosts in {@code patchFailing};
   * hosts in {@code neverBack} do not come back from a reboot. Every call is logged in order as
   * "step:host" into {@code steps}, shared with the scripted central steps; each collection's
   * metadata refresh as "host:refresh" into {@code refreshes}.
   */
  static final class ScriptedHosts implements SshHostActivities {
    final Set<Long> failing = ConcurrentHashMap.newKeySet();
    final Set<Long> patchFailing = ConcurrentHashMap.newKeySet();
    final Set<Long> neverBack = ConcurrentHashMap.newKeySet();
    /** Exit status of each host's hook scripts, "pre:2" → 3; 0 when not given. */
    final Map<String, Integer> hookExits = new ConcurrentHashMap<>();
    final List<Long> started = new CopyOnWriteArrayList<>();
    final List<String> refreshes = new CopyOnWriteArrayList<>();
    final List<String> steps;
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    volatile Duration delay = Duration.ZERO;
    /** How long each install takes, in real time (the test server's clock does not skip while a step runs). */
    volatile Duration installDelay = Duration.ZERO;

    ScriptedHosts(List<String> steps) {
      this.steps = steps;
    }

    @Override
    public HostInventory collectInventory(long hostId, MetadataRefresh refresh) {
      refreshes.add(hostId + ":" + refresh);
      if (!started.contains(hostId)) {
        started.add(hostId);
      }
      steps.add("collect:" + hostId);
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        concurrent.decrementAndGet();
      }
      if (failing.contains(hostId)) {
        throw ApplicationFailure.newNonRetryableFailure("host " + hostId + " is down", "AUTH_FAILED");
      }
      return inventory(hostId);
    }

    @Override
    public InstallResult installPatches(long hostId, RepairPlan plan) {
      steps.add("install:" + hostId);
      try {
        Thread.sleep(installDelay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Map<String, String> failures = patchFailing.contains(hostId)
          ? Map.of("SA-" + hostId, "Error: Transaction failed") : Map.of();
      return new InstallResult(failures, inventory(hostId));
    }

    @Override
    public HookResult runHook(long hostId, HookRun run) {
      String phase = run.phase().argument();
      steps.add(phase + "-hook:" + hostId);
      int exit = hookExits.getOrDefault(phase + ":" + hostId, 0);
      return new HookResult(exit, false, "ran " + run.hook().label() + " for " + run.ticketId() + "\nexit " + exit, 40);
    }

    @Override
    public BootMark requestReboot(long hostId) {
      steps.add("reboot:" + hostId);
      return new BootMark(null, 1000);
    }

    @Override
    public BootMark awaitReboot(AwaitReboot request) {
      steps.add("await:" + request.hostId());
      if (neverBack.contains(request.hostId())) {
        throw ApplicationFailure.newNonRetryableFailure("did not come back", "REBOOT_TIMEOUT");
      }
      return new BootMark(null, 2000);
    }

    static HostInventory inventory(long hostId) {
      return new HostInventory("hce", "2.0", "HCE 2.0", "kernel-of-" + hostId, Instant.EPOCH, List.of(), Set.of(),
          List.of(), false, 60L);
    }
  }

  /**
   * Scripted central steps, the same for SSH and agent hosts: every plan has one patch; hosts in
   * {@code needReboot} need a reboot after their repair. Logs into the shared step list.
   */
  static final class ScriptedReports implements ReportActivities {
    final Set<Long> needReboot = ConcurrentHashMap.newKeySet();
    final List<String> steps;
    volatile int patchesPerPlan = 1;
    /** How many times each host's recordScan finds the database away before it answers. */
    volatile int databaseDownTries;
    final Map<Long, AtomicInteger> recordTries = new ConcurrentHashMap<>();
    /** A central step that fails as a bug would: INTERNAL, not to be retried. */
    volatile boolean recordScanBug;
    /** What the catalog holds, as knownUpdateInfoChecksums answers. */
    volatile List<String> knownChecksums = List.of("sha256:" + "ab".repeat(32));
    /** knownUpdateInfoChecksums fails as a bug would. */
    volatile boolean knownChecksumsBug;
    /** Each host's inventories as recordScan got them. */
    final Map<Long, List<HostInventory>> recordedInventories = new ConcurrentHashMap<>();

    ScriptedReports(List<String> steps) {
      this.steps = steps;
    }

    @Override
    public RepairPlan planRepair(RepairRequest request) {
      steps.add("plan:" + request.hostId());
      return new RepairPlan(IntStream.rangeClosed(1, patchesPerPlan).mapToObj(i -> new RepairPlan.Patch("SA-" + i,
          PatchState.MISSING, "MODERATE", List.of(new RepairPlan.Target("bash", "x86_64", Evr.parse("5.1-2"))), false))
          .toList(), List.of());
    }

    @Override
    public ScanSummary recordScan(ScanRequest request, HostInventory inventory) {
      if (recordTries.computeIfAbsent(request.hostId(), h -> new AtomicInteger()).incrementAndGet() <= databaseDownTries) {
        throw ApplicationFailure.newFailure("the database did not answer", "DATABASE_UNAVAILABLE");
      }
      if (recordScanBug) {
        throw ApplicationFailure.newNonRetryableFailure("NullPointerException: boom", "INTERNAL");
      }
      recordedInventories.computeIfAbsent(request.hostId(), h -> new CopyOnWriteArrayList<>()).add(inventory);
      steps.add("record-scan:" + request.hostId() + ":" + inventory.runningKernel()
          + (request.reportOperation() == null ? "" : ":" + request.reportOperation()));
      return new ScanSummary(request.hostId(), 1, ComplianceStatus.COMPLIANT, 1, 0, 0, 0, 0, 0);
    }

    @Override
    public RepairSummary recordRepair(RepairRequest request, RepairPlan plan, InstallResult result) {
      steps.add("record-repair:" + request.hostId() + ":" + result.failures().keySet());
      boolean fails = !result.failures().isEmpty();
      boolean reboot = needReboot.contains(request.hostId());
      int planned = plan.patches().size();
      return new RepairSummary(request.hostId(), 7, planned, planned - result.failures().size(), result.failures().size(),
          List.copyOf(result.failures().keySet()), reboot,
          fails || reboot ? ComplianceStatus.NON_COMPLIANT : ComplianceStatus.COMPLIANT);
    }

    @Override
    public void recordHostFailure(long hostId, HostErrorKind kind, String message) {
      steps.add("host-failure:" + hostId + ":" + kind);
    }

    @Override
    public List<String> knownUpdateInfoChecksums() {
      steps.add("known-checksums");
      if (knownChecksumsBug) {
        throw ApplicationFailure.newNonRetryableFailure("NullPointerException: boom", "INTERNAL");
      }
      return knownChecksums;
    }
  }

  /** A scripted batch hook: logs each call into the shared step list; refuses the calls {@code refuse} names ("BATCH_STARTING:2"). */
  static final class ScriptedBatchHook implements BatchHookActivities {
    final List<String> steps;
    final Set<String> refuse = ConcurrentHashMap.newKeySet();

    ScriptedBatchHook(List<String> steps) {
      this.steps = steps;
    }

    @Override
    public void callBatchHook(BatchHookCall call) {
      String key = call.event() + ":" + call.batch();
      steps.add("hook " + key + " " + call.hostIds() + (call.event().equals(BatchHookCall.FINISHED)
          ? " " + call.succeeded() + "/" + call.failed() + "/" + call.notRun() : ""));
      if (refuse.contains(key)) {
        throw ApplicationFailure.newNonRetryableFailure("answered 503", BatchHookActivities.FAILED);
      }
    }
  }

  /** Records in memory what the real activities write to MySQL. */
  static final class MemoryRecords implements TicketRecordActivities {
    final Map<Long, HostOutcome> outcomes = new ConcurrentHashMap<>();
    final List<TicketStatus> statuses = new CopyOnWriteArrayList<>();
    /** Each ticketWaiting call: why, or "running" for null. */
    final List<String> waits = new CopyOnWriteArrayList<>();
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
    public void ticketWaiting(String ticketId, String waitingFor) {
      waits.add(waitingFor == null ? "running" : waitingFor);
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
  List<String> steps;
  ScriptedHosts hosts;
  ScriptedReports reports;
  MemoryRecords records;
  RecordedNotifications notifications;
  ScriptedBatchHook batchHook;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class, BatchWorkflowImpl.class,
        NotifyWorkflowImpl.class);
    steps = new CopyOnWriteArrayList<>();
    hosts = new ScriptedHosts(steps);
    reports = new ScriptedReports(steps);
    records = new MemoryRecords();
    notifications = new RecordedNotifications();
    batchHook = new ScriptedBatchHook(steps);
    worker.registerActivitiesImplementations(hosts, reports, records, notifications, batchHook);
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
        null, batch, concurrency, suspension, null, 0, 0);
  }

  /** A repair ticket; every host's plan has three patches. */
  TicketRequest repair(String id, int hosts, BatchSpec batch, int concurrency, SuspensionSpec suspension,
      RebootOption reboot) {
    reports.patchesPerPlan = 3;
    return new TicketRequest(id, Operation.REPAIR,
        LongStream.rangeClosed(1, hosts).mapToObj(h -> new TicketHost(h, null)).toList(),
        null, batch, concurrency, suspension, reboot, 300, 0);
  }

  TicketWorkflow stub(String id) {
    return client.newWorkflowStub(TicketWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.TICKETS).build());
  }

  long childWorkflowsStarted(String id) {
    return client.fetchHistory(id).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
        .filter(e -> e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowType().getName()
            .equals("BatchWorkflow"))
        .count();
  }

  @Test
  void runsOneChildPerBatchAndRecordsEveryHost() {
    TicketResult result = stub("t-batches").run(request("t-batches", 7, new BatchSpec(BatchSpec.Strategy.FIXED, 3, null,
        null), 2, SuspensionSpec.never()), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 7, 7, 0, 0));
    assertThat(childWorkflowsStarted("t-batches")).isEqualTo(3);
    assertThat(records.outcomes).hasSize(7);
    assertThat(records.outcomes.get(7L).batch()).isEqualTo(3);
    assertThat(records.outcomes.values()).allSatisfy(o -> assertThat(o.state()).isEqualTo(HostOutcome.State.SUCCEEDED));
    assertThat(records.finished).isEqualTo(result);
    assertThat(hosts.started.subList(0, 3)).as("batch 1 before batch 2").containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(hosts.started.subList(3, 6)).as("batch 2 before batch 3").containsExactlyInAnyOrder(4L, 5L, 6L);
  }

  @Test
  void aFinishedTicketAsksForItsNotificationsWithoutWaitingForThem() {
    stub("t-notify").run(request("t-notify", 2, BatchSpec.none(), 2, SuspensionSpec.never()), null);
    env.sleep(Duration.ofSeconds(5));
    assertThat(notifications.notified).containsExactly(NotifyRequest.ticketEnded("t-notify"));
  }

  @Test
  void aTicketWithStartAtWaitsOnADurableTimer() {
    long now = env.currentTimeMillis();
    TicketRequest r = request("t-later", 2, BatchSpec.none(), 1, SuspensionSpec.never());
    TicketRequest later = new TicketRequest(r.ticketId(), r.operation(), r.hosts(), null, r.batch(), 1, r.suspension(),
        null, 0, now + Duration.ofHours(6).toMillis());
    TicketWorkflow ticket = stub("t-later");
    WorkflowClient.start(ticket::run, later, null);
    env.sleep(Duration.ofHours(5));
    assertThat(ticket.progress().status()).isEqualTo(TicketStatus.SCHEDULED);
    assertThat(records.started).isFalse();
    assertThat(hosts.started).isEmpty();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result.succeeded()).isEqualTo(2);
    assertThat(env.currentTimeMillis() - now).isGreaterThanOrEqualTo(Duration.ofHours(6).toMillis());
  }

  @Test
  void aScheduledTicketCancelledBeforeItStartsRunsNoHost() {
    TicketRequest r = request("t-later-cancelled", 2, BatchSpec.none(), 1, SuspensionSpec.never());
    TicketWorkflow cancelled = stub("t-later-cancelled");
    WorkflowClient.start(cancelled::run, new TicketRequest("t-later-cancelled", Operation.SCAN, r.hosts(), null,
        r.batch(), 1, r.suspension(), null, 0, env.currentTimeMillis() + Duration.ofDays(1).toMillis()), null);
    env.sleep(Duration.ofHours(1));
    cancelled.cancel();
    TicketResult none = WorkflowStub.fromTyped(cancelled).getResult(TicketResult.class);
    assertThat(none).isEqualTo(new TicketResult(TicketStatus.CANCELLED, 2, 0, 0, 2));
  }

  @Test
  void keepsToTheConcurrencyInsideABatch() {
    hosts.delay = Duration.ofMillis(200);
    stub("t-conc").run(request("t-conc", 6, BatchSpec.none(), 2, SuspensionSpec.never()), null);
    assertThat(hosts.maxConcurrent.get()).isEqualTo(2);
  }

  @Test
  void stopsAtTheFailureCountAndRecordsTheRestAsNotRun() {
    hosts.failing.addAll(List.of(1L, 2L));
    TicketResult result = stub("t-count").run(request("t-count", 9, new BatchSpec(BatchSpec.Strategy.FIXED, 3, null,
        null), 1, new SuspensionSpec(2, null)), null);
    assertThat(result.status()).isEqualTo(TicketStatus.ABNORMAL);
    assertThat(result.failed()).isEqualTo(2);
    assertThat(hosts.started).as("no new host after the threshold").containsExactly(1L, 2L);
    assertThat(result.notRun()).isEqualTo(7);
    assertThat(records.outcomes.get(3L).state()).isEqualTo(HostOutcome.State.NOT_RUN);
    assertThat(records.outcomes.get(9L).state()).isEqualTo(HostOutcome.State.NOT_RUN);
    assertThat(records.outcomes.get(9L).errorMessage()).contains("suspension threshold");
    assertThat(childWorkflowsStarted("t-count")).as("later batches never start").isEqualTo(1);
  }

  @Test
  void stopsAtTheFailurePercentLettingRunningHostsFinish() {
    hosts.failing.add(1L);
    hosts.delay = Duration.ofMillis(100);
    // 10 % of 10 hosts is one failure; hosts 1 and 2 run together, so host 2 still finishes
    TicketResult result = stub("t-pct").run(request("t-pct", 10, BatchSpec.none(), 2, new SuspensionSpec(null, 10)), null);
    assertThat(result.status()).isEqualTo(TicketStatus.ABNORMAL);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.succeeded() + result.failed() + result.notRun()).isEqualTo(10);
    assertThat(result.succeeded()).isBetween(1, 2);
    assertThat(records.outcomes.get(10L).state()).isEqualTo(HostOutcome.State.NOT_RUN);
  }

  @Test
  void pauseHoldsNewHostsUntilResume() {
    hosts.delay = Duration.ofMillis(300);
    TicketWorkflow ticket = stub("t-pause");
    WorkflowClient.start(ticket::run, request("t-pause", 4, new BatchSpec(BatchSpec.Strategy.FIXED, 1, null, null), 1,
        SuspensionSpec.never()), null);
    ticket.pause();
    env.sleep(Duration.ofMinutes(30));
    assertThat(ticket.progress().paused()).isTrue();
    assertThat(ticket.progress().status()).isEqualTo(TicketStatus.PAUSED);
    assertThat(hosts.started.size()).as("at most the host that was already running").isLessThanOrEqualTo(1);
    ticket.resume();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 4, 4, 0, 0));
    assertThat(records.statuses).as("the listing shows the pause and the resume")
        .containsExactly(TicketStatus.PAUSED, TicketStatus.RUNNING);
  }

  @Test
  void cancelLetsRunningHostsFinishAndRecordsTheRest() {
    hosts.delay = Duration.ofMillis(300);
    TicketWorkflow ticket = stub("t-cancel");
    WorkflowClient.start(ticket::run, request("t-cancel", 6, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 1,
        SuspensionSpec.never()), null);
    ticket.cancel();
    TicketResult result = WorkflowStub.fromTyped(ticket).getResult(TicketResult.class);
    assertThat(result.status()).isEqualTo(TicketStatus.CANCELLED);
    assertThat(result.succeeded() + result.notRun()).isEqualTo(6);
    assertThat(result.notRun()).isGreaterThanOrEqualTo(4);
    assertThat(records.outcomes.values()).filteredOn(o -> o.state().equals(HostOutcome.State.NOT_RUN))
        .allSatisfy(o -> assertThat(o.errorMessage()).contains("cancelled"));
  }

  /** Ten thousand hosts: every host counted once, and no run of any workflow holds a long history. */
  @Test
  void tenThousandHostsKeepEveryHistoryShort() {
    int hosts = 10_000;
    TicketResult result = stub("t-10k").run(request("t-10k", hosts, new BatchSpec(BatchSpec.Strategy.FIXED, 5_000, null,
        null), 200, SuspensionSpec.never()), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, hosts, hosts, 0, 0));
    assertThat(records.outcomes).hasSize(hosts);
    for (String id : List.of("t-10k", TicketWorkflow.batchWorkflowId("t-10k", 1),
        TicketWorkflow.batchWorkflowId("t-10k", 2))) {
      // the newest run of each; a batch of 5,000 hosts continued as new every 1,000
      assertThat(client.fetchHistory(id).getEvents().size()).as(id).isLessThan(5_000);
    }
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
   * Guards replay compatibility: histories recorded with earlier versions of the ticket workflow
   * must replay on the current code (v1: before notifications; v2: with the notification child; v3:
   * with the summaries and current details of Temporal's Web UI, which a replay does not compare).
   * A missing newest history is recorded when run with -Dpatchloop.recordHistory=true.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"ticket-scan-v1.json", "ticket-scan-v2.json",
      "ticket-scan-v3.json"})
  void replaysARecordedTicketHistory(String name) throws Exception {
    Path file = Path.of("src/test/resources/histories", name);
    if (Boolean.getBoolean("patchloop.recordHistory") && !Files.exists(file)) {
      hosts.failing.add(3L);
      stub("t-recorded").run(request("t-recorded", 5, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 2,
          new SuspensionSpec(3, null)), null);
      Files.writeString(file, client.fetchHistory("t-recorded").toJson(true));
    }
    WorkflowReplayer.replayWorkflowExecution(Files.readString(file), TicketWorkflowImpl.class);
  }

  /**
   * The same for batches: of a scan ticket (hosts 1 to 3, host 3 failing; v1 recorded before
   * repairs existed, with the fused SSH scan), and of an SSH repair ticket (host 1 repaired, host 2
   * repaired and rebooted; v1 with the fused repairHost/scanHost). The v2 histories are of the one
   * host pipeline (host steps, then central steps); the v3 ones carry the summaries of Temporal's Web
   * UI on the batch and on every activity, which a replay does not compare, so v1 and v2 histories
   * (without them) replay without a version marker. A missing newest history is recorded when run
   * with -Dpatchloop.recordHistory=true; delete it first to record it again, only on purpose.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"batch-scan-v1.json", "batch-scan-v2.json",
      "batch-scan-v3.json", "batch-ssh-repair-v1.json", "batch-ssh-repair-v2.json", "batch-ssh-repair-v3.json"})
  void replaysARecordedSshBatchHistory(String name) throws Exception {
    Path file = Path.of("src/test/resources/histories", name);
    if (Boolean.getBoolean("patchloop.recordHistory") && !Files.exists(file)) {
      String ticket = name.replace(".json", "");
      if (name.contains("repair")) {
        reports.needReboot.add(2L);
        stub(ticket).run(repair(ticket, 2, BatchSpec.none(), 1, SuspensionSpec.never(), RebootOption.REBOOT_IF_NEEDED),
            null);
      } else {
        hosts.failing.add(3L);
        stub(ticket).run(request(ticket, 3, BatchSpec.none(), 1, SuspensionSpec.never()), null);
      }
      Files.writeString(file, client.fetchHistory(TicketWorkflow.batchWorkflowId(ticket, 1)).toJson(true));
    }
    WorkflowReplayer.replayWorkflowExecution(Files.readString(file), BatchWorkflowImpl.class);
  }

  /**
   * The database away for five minutes while hosts are recorded: the central steps wait for it
   * (DATABASE_UNAVAILABLE is retried for up to 15 minutes), no host fails, no host work is redone.
   */
  @Test
  void aDatabaseOutageWhileRecordingFailsNoHostAndRedoesNoHostWork() {
    // tries 1 s, 2 s, 4 s, ... 30 s apart: 14 failed tries are about five minutes
    reports.databaseDownTries = 14;
    long started = env.currentTimeMillis();
    TicketResult result = stub("t-db").run(request("t-db", 3, BatchSpec.none(), 3, SuspensionSpec.never()), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 3, 0, 0));
    assertThat(env.currentTimeMillis() - started).as("it did wait").isGreaterThan(Duration.ofMinutes(4).toMillis());
    assertThat(steps.stream().filter(s -> s.startsWith("collect:"))).as("each host read once").hasSize(3);
    assertThat(reports.recordTries.values()).allSatisfy(t -> assertThat(t.get()).isEqualTo(15));
    assertThat(records.outcomes.values()).allSatisfy(o -> assertThat(o.state()).isEqualTo(HostOutcome.State.SUCCEEDED));
  }

  /** A bug in a central step is not tried again and again: the host fails INTERNAL at once. */
  @Test
  void anUnexpectedErrorInACentralStepFailsTheHostAtOnce() {
    reports.recordScanBug = true;
    TicketResult result = stub("t-bug").run(request("t-bug", 1, BatchSpec.none(), 1, SuspensionSpec.never()), null);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(records.outcomes.get(1L).errorKind()).isEqualTo(HostErrorKind.INTERNAL);
    assertThat(reports.recordTries.get(1L).get()).isEqualTo(1);
  }

  @Test
  void aRepairRebootsOnlyWhenAllowedAndNeededThenScansAgain() {
    reports.needReboot.add(2L);
    TicketResult result = stub("r-reboot").run(repair("r-reboot", 3, BatchSpec.none(), 1, SuspensionSpec.never(),
        RebootOption.REBOOT_IF_NEEDED), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 3, 0, 0));
    assertThat(steps).containsExactly("plan:1", "install:1", "record-repair:1:[]", "plan:2", "install:2",
        "record-repair:2:[]", "reboot:2", "await:2", "collect:2", "record-scan:2:kernel-of-2:REPAIR", "plan:3",
        "install:3", "record-repair:3:[]");
    assertThat(records.outcomes.get(2L).detail()).isEqualTo("installed 3 of 3 patches; rebooted and scanned again");
    assertThat(records.outcomes.get(2L).complianceStatus()).as("the re-scan's status").isEqualTo(ComplianceStatus.COMPLIANT);
    assertThat(records.outcomes.get(1L).detail()).isEqualTo("installed 3 of 3 patches");
    assertThat(client.fetchHistory("r-reboot/batch-1").getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
        .as("the reboot is its own visible steps in the batch's history")
        .containsSubsequence("PlanRepair", "InstallPatches", "RecordRepair", "RequestReboot", "AwaitReboot",
            "CollectInventory", "RecordScan");
  }

  /**
   * The ticket's metadata refresh reaches every collection it makes, in every batch and in the scan
   * again after a reboot; a request of an older release, without one, collects with AUTO.
   */
  @Test
  void theTicketsMetadataRefreshReachesEveryCollection() {
    TicketRequest r = request("t-never", 3, new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 1,
        SuspensionSpec.never());
    stub("t-never").run(withRefresh(r, MetadataRefresh.NEVER), null);
    assertThat(hosts.refreshes).containsExactly("1:NEVER", "2:NEVER", "3:NEVER");

    hosts.refreshes.clear();
    reports.needReboot.add(1L);
    TicketRequest reboots = repair("r-always", 1, BatchSpec.none(), 1, SuspensionSpec.never(),
        RebootOption.REBOOT_IF_NEEDED);
    stub("r-always").run(withRefresh(reboots, MetadataRefresh.ALWAYS), null);
    assertThat(steps).contains("await:1", "record-scan:1:kernel-of-1:REPAIR");
    assertThat(hosts.refreshes).as("the scan after the reboot").containsExactly("1:ALWAYS");

    hosts.refreshes.clear();
    stub("t-unset").run(request("t-unset", 1, BatchSpec.none(), 1, SuspensionSpec.never()), null);
    assertThat(hosts.refreshes).containsExactly("1:AUTO");
  }

  static TicketRequest withRefresh(TicketRequest r, MetadataRefresh refresh) {
    return new TicketRequest(r.ticketId(), r.operation(), r.hosts(), r.baselineId(), r.batch(), r.concurrency(),
        r.suspension(), r.rebootOption(), r.rebootTimeoutSeconds(), r.startAtMillis(), r.agents(), r.labels(), refresh);
  }

  static TicketRequest withHooks(TicketRequest r, TicketHooks hooks) {
    return new TicketRequest(r.ticketId(), r.operation(), r.hosts(), r.baselineId(), r.batch(), r.concurrency(),
        r.suspension(), r.rebootOption(), r.rebootTimeoutSeconds(), r.startAtMillis(), r.agents(), r.labels(),
        r.metadataRefresh(), hooks);
  }

  static final HostHook DRAIN = new HostHook("drain", 2, "echo draining", 30);
  static final HostHook HEALTH = new HostHook("health", 1, "curl -fs localhost/health", 30);

  /**
   * The pre-hook runs before anything is planned or installed and its failure ends the host there;
   * the post-hook runs after the reboot and the scan again; what both printed stays on the outcome.
   */
  @Test
  void hooksRunAroundEachHostAndAFailedPreHookInstallsNothing() {
    reports.needReboot.add(3L);
    hosts.hookExits.put("pre:2", 3);
    TicketResult result = stub("r-hooks").run(withHooks(repair("r-hooks", 3, BatchSpec.none(), 1,
        SuspensionSpec.never(), RebootOption.REBOOT_IF_NEEDED), new TicketHooks(DRAIN, HEALTH)), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 2, 1, 0));
    assertThat(steps).containsExactly(
        "pre-hook:1", "plan:1", "install:1", "record-repair:1:[]", "post-hook:1",
        "pre-hook:2", "host-failure:2:PRE_HOOK_FAILED",
        "pre-hook:3", "plan:3", "install:3", "record-repair:3:[]", "reboot:3", "await:3", "collect:3",
        "record-scan:3:kernel-of-3:REPAIR", "post-hook:3");
    HostOutcome refused = records.outcomes.get(2L);
    assertThat(refused.errorKind()).isEqualTo(HostErrorKind.PRE_HOOK_FAILED);
    assertThat(refused.errorMessage()).isEqualTo("pre-hook drain@2 exited 3 in 0.0 s: exit 3; nothing was installed");
    assertThat(refused.detail()).isEqualTo("nothing installed: the pre-hook failed");
    assertThat(refused.hookOutput()).isEqualTo("pre-hook drain@2 exited 3 in 0.0 s:\nran drain@2 for r-hooks\nexit 3");
    assertThat(records.outcomes.get(3L).hookOutput()).isEqualTo("pre-hook drain@2 exited 0 in 0.0 s:\n"
        + "ran drain@2 for r-hooks\nexit 0\npost-hook health@1 exited 0 in 0.0 s:\nran health@1 for r-hooks\nexit 0");
    assertThat(records.outcomes.get(3L).detail()).isEqualTo("installed 3 of 3 patches; rebooted and scanned again");
  }

  /** A failed post-hook fails its host (its report as repaired) and counts toward the threshold; a ticket without hooks runs none. */
  @Test
  void aFailedPostHookCountsTowardTheThreshold() {
    hosts.hookExits.put("post:1", 1);
    TicketResult result = stub("r-post").run(withHooks(repair("r-post", 3, BatchSpec.none(), 1,
        new SuspensionSpec(1, null), null), new TicketHooks(null, HEALTH)), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.ABNORMAL, 3, 0, 1, 2));
    HostOutcome failed = records.outcomes.get(1L);
    assertThat(failed.errorKind()).isEqualTo(HostErrorKind.POST_HOOK_FAILED);
    assertThat(failed.complianceStatus()).as("the repair's report").isEqualTo(ComplianceStatus.COMPLIANT);
    assertThat(failed.detail()).isEqualTo("installed 3 of 3 patches");
    assertThat(steps).containsExactly("plan:1", "install:1", "record-repair:1:[]", "post-hook:1",
        "host-failure:1:POST_HOOK_FAILED");

    steps.clear();
    stub("r-none").run(repair("r-none", 1, BatchSpec.none(), 1, SuspensionSpec.never(), null), null);
    assertThat(steps).containsExactly("plan:1", "install:1", "record-repair:1:[]");
    assertThat(records.outcomes.get(1L).hookOutput()).isNull();
  }

  /** Open on even minutes of UTC for one minute: a test can align the test server's clock to its end. */
  static MaintenanceWindow everyOtherMinute(MaintenanceWindow.OnClose onClose) {
    return new MaintenanceWindow("even-minutes", "*/2 * * * *", "UTC", 1, onClose);
  }

  /** Moves the test server's clock (time skipping) to {@code second} seconds into the next even UTC minute. */
  void skipToEvenMinutePlus(int second) {
    long now = env.currentTimeMillis();
    long evenMinute = (now / 120_000 + 1) * 120_000;
    env.sleep(Duration.ofMillis(evenMinute + second * 1000L - now));
  }

  static TicketRequest withWindow(TicketRequest r, MaintenanceWindow window) {
    return new TicketRequest(r.ticketId(), r.operation(), r.hosts(), r.baselineId(), r.batch(), r.concurrency(),
        r.suspension(), r.rebootOption(), r.rebootTimeoutSeconds(), r.startAtMillis(), r.agents(), r.labels(),
        r.metadataRefresh(), r.hooks(), window);
  }

  /**
   * A window that closes while a host installs: that host finishes, the ticket records WAITING with
   * the next opening, starts no host until then, and goes on at the opening; every host once, each
   * started inside the window.
   */
  @Test
  void aRepairWaitsAtItsWindowsEndAndResumesAtTheNextOpening() {
    hosts.installDelay = Duration.ofSeconds(4);
    skipToEvenMinutePlus(57);
    TicketResult result = stub("r-window").run(withWindow(repair("r-window", 3, BatchSpec.none(), 1,
        SuspensionSpec.never(), null), everyOtherMinute(MaintenanceWindow.OnClose.WAIT)), null);

    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 3, 0, 0));
    assertThat(records.outcomes).hasSize(3);
    assertThat(steps.stream().filter(s -> s.startsWith("install:"))).containsExactly("install:1", "install:2",
        "install:3");
    long first = records.outcomes.get(1L).startedAtMillis();
    long second = records.outcomes.get(2L).startedAtMillis();
    assertThat(second - first).as("host 2 waited for the next opening").isGreaterThan(60_000);
    assertThat(records.outcomes.values()).allSatisfy(o -> assertThat(o.startedAtMillis() / 60_000 % 2)
        .as("host %d started inside the window", o.hostId()).isZero());
    assertThat(records.waits).hasSize(2);
    assertThat(records.waits.get(0)).matches("maintenance window even-minutes, opens at \\d{4}-\\d\\d-\\d\\d"
        + " \\d\\d:\\d[02468] UTC \\(\\d{4}-.+:\\d[02468]:00Z\\)");
    assertThat(records.waits.get(1)).isEqualTo("running");
    env.sleep(Duration.ofSeconds(5)); // the notifications are children that do not hold the ticket up
    assertThat(notifications.notified).filteredOn(n -> n.kind().equals(NotifyRequest.MAINTENANCE_WINDOW))
        .extracting(NotifyRequest::reason).containsExactlyInAnyOrder("STARTED", "WAITING", "RESUMED", "ENDED");
    NotifyRequest waiting = notifications.notified.stream().filter(n -> "WAITING".equals(n.reason())).findFirst()
        .orElseThrow();
    assertThat(waiting.fireTimeMillis() % 120_000).as("when the window opens: an even minute").isZero();
    assertThat(second).as("host 2 started at that opening").isBetween(waiting.fireTimeMillis(),
        waiting.fireTimeMillis() + 30_000);
  }

  /** A window that says END ends the ticket when it closes: the hosts that did not start are NOT_RUN, saying why. */
  @Test
  void aWindowThatSaysEndLeavesTheRestNotRun() {
    hosts.installDelay = Duration.ofSeconds(4);
    skipToEvenMinutePlus(57);
    TicketResult result = stub("r-window-end").run(withWindow(repair("r-window-end", 3,
        new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 1, SuspensionSpec.never(), null),
        everyOtherMinute(MaintenanceWindow.OnClose.END)), null);

    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 1, 0, 2));
    assertThat(steps).containsExactly("plan:1", "install:1", "record-repair:1:[]");
    assertThat(records.outcomes.get(2L).errorMessage())
        .isEqualTo("the ticket's maintenance window closed before this host started");
    assertThat(records.outcomes.get(3L).errorMessage())
        .isEqualTo("the ticket's maintenance window closed before this host's batch started");
    assertThat(records.waits).isEmpty();
  }

  static TicketRequest withBatchHook(TicketRequest r) {
    return new TicketRequest(r.ticketId(), r.operation(), r.hosts(), r.baselineId(), r.batch(), r.concurrency(),
        r.suspension(), r.rebootOption(), r.rebootTimeoutSeconds(), r.startAtMillis(), r.agents(), r.labels(),
        r.metadataRefresh(), r.hooks(), r.window(), true);
  }

  /** The batch hook is called before each batch starts and after it ended, with its hosts and counts. */
  @Test
  void theBatchHookIsCalledAroundEveryBatch() {
    TicketResult result = stub("r-batch-hook").run(withBatchHook(repair("r-batch-hook", 3,
        new BatchSpec(BatchSpec.Strategy.FIXED, 2, null, null), 1, SuspensionSpec.never(), null)), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.COMPLETED, 3, 3, 0, 0));
    assertThat(steps).containsExactly("hook BATCH_STARTING:1 [1, 2]", "plan:1", "install:1", "record-repair:1:[]",
        "plan:2", "install:2", "record-repair:2:[]", "hook BATCH_FINISHED:1 [1, 2] 2/0/0",
        "hook BATCH_STARTING:2 [3]", "plan:3", "install:3", "record-repair:3:[]", "hook BATCH_FINISHED:2 [3] 1/0/0");
  }

  /**
   * A batch hook that does not answer 2xx stops the ticket ABNORMAL: refused before a batch, that
   * batch runs no host; refused after one, no later batch starts. The hosts left are NOT_RUN, saying why.
   */
  @Test
  void aBatchHookThatFailsStopsTheTicket() {
    batchHook.refuse.add("BATCH_STARTING:2");
    TicketResult before = stub("r-hook-before").run(withBatchHook(repair("r-hook-before", 3,
        new BatchSpec(BatchSpec.Strategy.FIXED, 1, null, null), 1, SuspensionSpec.never(), null)), null);
    assertThat(before).isEqualTo(new TicketResult(TicketStatus.ABNORMAL, 3, 1, 0, 2));
    assertThat(steps).noneMatch(s -> s.matches("(plan|install):[23]"));
    assertThat(records.outcomes.get(2L).errorMessage())
        .isEqualTo("the ticket's batch hook did not answer 2xx before this host's batch started");

    steps.clear();
    batchHook.refuse.clear();
    batchHook.refuse.add("BATCH_FINISHED:1");
    TicketResult after = stub("r-hook-after").run(withBatchHook(repair("r-hook-after", 3,
        new BatchSpec(BatchSpec.Strategy.FIXED, 1, null, null), 1, SuspensionSpec.never(), null)), null);
    assertThat(after).isEqualTo(new TicketResult(TicketStatus.ABNORMAL, 3, 1, 0, 2));
    assertThat(steps).containsExactly("hook BATCH_STARTING:1 [1]", "plan:1", "install:1", "record-repair:1:[]",
        "hook BATCH_FINISHED:1 [1] 1/0/0");
  }

  @Test
  void noRebootLeavesTheRebootPending() {
    reports.needReboot.add(1L);
    TicketResult result = stub("r-noreboot").run(repair("r-noreboot", 1, BatchSpec.none(), 1, SuspensionSpec.never(),
        RebootOption.NO_REBOOT), null);
    assertThat(result.succeeded()).isEqualTo(1);
    assertThat(steps).containsExactly("plan:1", "install:1", "record-repair:1:[]");
    assertThat(records.outcomes.get(1L).detail()).isEqualTo("installed 3 of 3 patches; reboot pending (NO_REBOOT)");
    assertThat(records.outcomes.get(1L).complianceStatus()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
  }

  @Test
  void failedPatchesAndLostRebootsCountTowardTheRepairThreshold() {
    hosts.patchFailing.add(1L);
    reports.needReboot.add(2L);
    hosts.neverBack.add(2L);
    TicketResult result = stub("r-threshold").run(repair("r-threshold", 5, new BatchSpec(BatchSpec.Strategy.FIXED, 1,
        null, null), 1, new SuspensionSpec(2, null), RebootOption.REBOOT_IF_NEEDED), null);
    assertThat(result).isEqualTo(new TicketResult(TicketStatus.ABNORMAL, 5, 0, 2, 3));
    HostOutcome patchFailed = records.outcomes.get(1L);
    assertThat(patchFailed.state()).isEqualTo(HostOutcome.State.FAILED);
    assertThat(patchFailed.errorKind()).isEqualTo(HostErrorKind.PATCHES_FAILED);
    assertThat(patchFailed.errorMessage()).startsWith("1 of 3 patches failed to install: SA-1");
    HostOutcome lost = records.outcomes.get(2L);
    assertThat(lost.errorKind()).isEqualTo(HostErrorKind.REBOOT_TIMEOUT);
    assertThat(lost.detail()).as("the step it failed in").isEqualTo("installed 3 of 3 patches; rebooting");
    assertThat(steps).as("hosts 3 to 5 are never touched").noneMatch(s -> s.matches("[\\w-]+:[345].*"));
    assertThat(records.outcomes.get(3L).state()).isEqualTo(HostOutcome.State.NOT_RUN);
  }
}
