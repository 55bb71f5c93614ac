package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.agent.HostAgentActivities;
import io.patchloop.workflows.notify.NotifyWorkflowImpl;
import io.patchloop.workflows.notify.RecordedNotifications;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.TicketWorkflowTest.MemoryRecords;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedHosts;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedReports;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent hosts in tickets, under Temporal's test server: their host steps go to the host's own task
 * queue (polled here by a scripted agent on that queue, as the real agent would), everything else
 * stays central, and an agent that is absent or dies fails its host by Temporal's timeouts instead
 * of hanging the ticket. The real agent against real hosts is the end-to-end agent test.
 */
class AgentTicketWorkflowTest {

  /**
   * A scripted agent for one host: logs each step as "agent-step@host" into the shared step list,
   * and each collection's metadata refresh into {@code refreshes}; an install reads the host back
   * with AUTO, as the real one does.
   */
  static final class ScriptedAgent implements HostAgentActivities {
    final long hostId;
    final List<String> steps;
    final AtomicInteger rebootWaits = new AtomicInteger();
    final List<MetadataRefresh> refreshes = new CopyOnWriteArrayList<>();
    /** Each collection's known checksums as the workflow passed them ("none" for null). */
    final List<Object> knownChecksums = new CopyOnWriteArrayList<>();
    volatile boolean hangs;
    /** Heartbeats this many times, a second apart, before it hangs (an agent that dies mid-step). */
    volatile int heartbeatsBeforeHang;
    volatile Set<String> failingPatches = Set.of();

    ScriptedAgent(long hostId, List<String> steps) {
      this.hostId = hostId;
      this.steps = steps;
    }

    @Override
    public HostInventory collectInventory(MetadataRefresh refresh, List<String> known) {
      refreshes.add(refresh);
      knownChecksums.add(known == null ? "none" : known);
      steps.add("collect@" + hostId);
      if (hangs) {
        for (int i = 0; i < heartbeatsBeforeHang; i++) {
          Activity.getExecutionContext().heartbeat(i);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        hang();
      }
      // as the real agent: the files the catalog holds are left to it (here: all of its repositories' files)
      return new HostInventory("hce", "2.0", "HCE 2.0", "kernel-of-" + hostId, Instant.EPOCH, List.of(), Set.of(),
          List.of(), false, 60L, known == null || known.isEmpty() ? null : List.copyOf(known));
    }

    @Override
    public InstallResult installPatches(RepairPlan plan) {
      steps.add("install@" + hostId + ":" + plan.combinedNevras());
      Map<String, String> failures = new java.util.LinkedHashMap<>();
      failingPatches.forEach(id -> failures.put(id, "Error: Transaction failed"));
      return new InstallResult(failures, collectInventory(MetadataRefresh.AUTO, null));
    }

    @Override
    public HookResult runHook(HookRun run) {
      steps.add(run.phase().argument() + "-hook@" + hostId + ":" + run.hook().label());
      return new HookResult(0, false, "ok", 10);
    }

    @Override
    public BootMark requestReboot() {
      steps.add("reboot@" + hostId);
      return new BootMark(null, 1000);
    }

    @Override
    public BootMark awaitBootAfter(BootMark before) {
      steps.add("await@" + hostId);
      // the first attempt is lost with the agent that went down with the reboot
      if (rebootWaits.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("the agent went down with the host", "UNREACHABLE");
      }
      return new BootMark(null, 2000);
    }

    /** An agent that was killed: it never answers or heartbeats again. */
    private static void hang() {
      try {
        RELEASE.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("released at the end of the test; attempt " + Activity.getExecutionContext()
          .getInfo().getAttempt());
    }
  }

  static CountDownLatch RELEASE;

  TestWorkflowEnvironment env;
  WorkflowClient client;
  List<String> steps;
  ScriptedHosts hosts;
  ScriptedReports reports;
  MemoryRecords records;

  @BeforeEach
  void start() {
    RELEASE = new CountDownLatch(1);
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class, BatchWorkflowImpl.class,
        NotifyWorkflowImpl.class);
    steps = new CopyOnWriteArrayList<>();
    hosts = new ScriptedHosts(steps);
    reports = new ScriptedReports(steps);
    records = new MemoryRecords();
    worker.registerActivitiesImplementations(hosts, reports, records, new RecordedNotifications());
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    RELEASE.countDown();
    env.close();
  }

  /** Starts a scripted agent for {@code hostId}, polling only that host's queue; call before {@link #run}. */
  ScriptedAgent agent(long hostId) {
    ScriptedAgent agent = new ScriptedAgent(hostId, steps);
    env.newWorker(TaskQueues.forHost(hostId)).registerActivitiesImplementations(agent);
    return agent;
  }

  TicketResult run(String id, Operation operation, int hosts, List<Long> agentHosts, SuspensionSpec suspension) {
    return run(id, operation, hosts, agentHosts, suspension, null);
  }

  TicketResult run(String id, Operation operation, int hosts, List<Long> agentHosts, SuspensionSpec suspension,
      MetadataRefresh refresh) {
    return run(id, operation, hosts, agentHosts, suspension, refresh, null);
  }

  TicketResult run(String id, Operation operation, int hosts, List<Long> agentHosts, SuspensionSpec suspension,
      MetadataRefresh refresh, TicketHooks hooks) {
    env.start();
    TicketRequest request = new TicketRequest(id, operation,
        LongStream.rangeClosed(1, hosts).mapToObj(h -> new TicketHost(h, null)).toList(), null, BatchSpec.none(), 1,
        suspension, operation == Operation.REPAIR ? RebootOption.REBOOT_IF_NEEDED : null, 300, 0,
        new AgentRouting(agentHosts, 5, 4), null, refresh, hooks);
    return client.newWorkflowStub(TicketWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.TICKETS).build()).run(request, null);
  }

  @Test
  void aMixedScanRunsAgentHostsOnTheirOwnQueueAndRecordsThemCentrally() {
    agent(2);
    TicketResult result = run("t-mixed", Operation.SCAN, 3, List.of(2L), SuspensionSpec.never());

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(result.succeeded()).isEqualTo(3);
    // hosts 1 and 3 are collected over SSH, host 2 by its agent; all three are evaluated and recorded
    // centrally by the same step
    assertThat(steps).containsExactly("collect:1", "record-scan:1:kernel-of-1", "known-checksums", "collect@2",
        "record-scan:2:kernel-of-2",
        "collect:3", "record-scan:3:kernel-of-3");
    assertThat(records.outcomes.get(2L).state()).isEqualTo(HostOutcome.State.SUCCEEDED);
    assertThat(records.outcomes.get(2L).complianceStatus()).isEqualTo(io.patchloop.compliance.ComplianceStatus.COMPLIANT);
  }

  @Test
  void theTicketsMetadataRefreshReachesTheAgentsCollectionAsTheSshHostsOne() {
    ScriptedAgent agent = agent(2);
    run("t-agent-never", Operation.SCAN, 2, List.of(2L), SuspensionSpec.never(), MetadataRefresh.NEVER);
    assertThat(hosts.refreshes).containsExactly("1:NEVER");
    assertThat(agent.refreshes).containsExactly(MetadataRefresh.NEVER);
  }

  @Test
  void aRepairThroughTheAgentScansAgainAfterTheRebootWithTheTicketsRefresh() {
    ScriptedAgent agent = agent(1);
    reports.needReboot.add(1L);
    run("t-agent-always", Operation.REPAIR, 1, List.of(1L), SuspensionSpec.never(), MetadataRefresh.ALWAYS);
    assertThat(agent.refreshes).as("the install's read-back, then the scan after the reboot")
        .containsExactly(MetadataRefresh.AUTO, MetadataRefresh.ALWAYS);
  }

  /**
   * Issue 17: the agent is told which updateinfo files the catalog holds (a central step, before
   * each agent collection) and its inventory, naming the files it left to the catalog, reaches
   * recordScan as it sent it; the collection an install makes to read the host back is not told
   * (its inventory is whole).
   */
  @Test
  void theAgentIsToldWhatTheCatalogHoldsAndItsInventoryLeavesThoseFilesToRecordScan() {
    ScriptedAgent agent = agent(1);
    List<String> known = List.of("sha256:" + "0a".repeat(32), "sha512:" + "1b".repeat(64));
    reports.knownChecksums = known;
    reports.needReboot.add(1L);
    run("t-agent-known", Operation.REPAIR, 1, List.of(1L), SuspensionSpec.never());

    assertThat(agent.knownChecksums).as("the install's read-back, then the scan after the reboot")
        .containsExactly("none", known);
    assertThat(reports.recordedInventories.get(1L)).singleElement()
        .satisfies(inv -> assertThat(inv.catalogChecksums()).isEqualTo(known));
  }

  @Test
  void aScanThroughTheAgentPassesTheCatalogsChecksumsAndAnEmptyCatalogLeavesNothingToIt() {
    ScriptedAgent agent = agent(2);
    reports.knownChecksums = List.of();
    run("t-agent-empty-catalog", Operation.SCAN, 2, List.of(2L), SuspensionSpec.never());

    assertThat(agent.knownChecksums).containsExactly(List.of());
    assertThat(reports.recordedInventories.get(2L)).singleElement()
        .satisfies(inv -> assertThat(inv.catalogChecksums()).isNull());
    assertThat(reports.recordedInventories.get(1L)).singleElement()
        .satisfies(inv -> assertThat(inv.catalogChecksums()).as("SSH hosts are not asked").isNull());
  }

  /** Not knowing what the catalog holds makes a slower scan (the agent reads every file), not a failed one. */
  @Test
  void whenTheCatalogsChecksumsCannotBeAskedTheAgentReadsEveryFile() {
    ScriptedAgent agent = agent(1);
    reports.knownChecksumsBug = true;
    TicketResult result = run("t-agent-no-catalog", Operation.SCAN, 1, List.of(1L), SuspensionSpec.never());

    assertThat(result.succeeded()).isEqualTo(1);
    assertThat(agent.knownChecksums).containsExactly("none");
    assertThat(steps).containsExactly("known-checksums", "collect@1", "record-scan:1:kernel-of-1");
  }

  @Test
  void anAgentThatIsNotConnectedFailsItsHostAfterTheScheduleToStartTimeoutAndCountsTowardTheThreshold() {
    // no agent polls host 2's queue
    TicketResult result = run("t-offline", Operation.SCAN, 3, List.of(2L), new SuspensionSpec(1, null));

    assertThat(result.status()).isEqualTo(TicketStatus.ABNORMAL);
    HostOutcome two = records.outcomes.get(2L);
    assertThat(two.state()).isEqualTo(HostOutcome.State.FAILED);
    assertThat(two.errorKind()).isEqualTo(io.patchloop.workflows.host.HostErrorKind.AGENT_OFFLINE);
    assertThat(two.errorMessage()).contains("did not pick up collecting the inventory within 5 s");
    assertThat(steps).containsExactly("collect:1", "record-scan:1:kernel-of-1", "known-checksums",
        "host-failure:2:AGENT_OFFLINE");
    assertThat(records.outcomes.get(3L).state()).isEqualTo(HostOutcome.State.NOT_RUN);
  }

  @Test
  void anAgentThatStopsAnsweringMidStepFailsItsHostAndTheTicketGoesOn() {
    agent(2).hangs = true;
    TicketResult result = run("t-killed", Operation.SCAN, 3, List.of(2L), SuspensionSpec.never());

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(result.succeeded()).isEqualTo(2);
    assertThat(result.failed()).isEqualTo(1);
    HostOutcome two = records.outcomes.get(2L);
    assertThat(two.errorKind()).isEqualTo(io.patchloop.workflows.host.HostErrorKind.AGENT_LOST);
    assertThat(two.errorMessage()).contains("stopped answering while collecting the inventory");
    // tried once more after the missed heartbeats, then recorded; host 3 still ran
    assertThat(steps).containsExactly("collect:1", "record-scan:1:kernel-of-1", "known-checksums", "collect@2", "collect@2",
        "host-failure:2:AGENT_LOST", "collect:3", "record-scan:3:kernel-of-3");
  }

  @Test
  void anAgentThatHeartbeatedAndThenStoppedFailsItsHostToo() {
    ScriptedAgent agent = agent(2);
    agent.hangs = true;
    agent.heartbeatsBeforeHang = 2;
    TicketResult result = run("t-killed-later", Operation.SCAN, 2, List.of(2L), SuspensionSpec.never());

    assertThat(result.failed()).isEqualTo(1);
    assertThat(records.outcomes.get(2L).errorKind()).isEqualTo(io.patchloop.workflows.host.HostErrorKind.AGENT_LOST);
  }

  @Test
  void aRepairThroughTheAgentPlansCentrallyInstallsOnTheHostAndComesBackFromTheReboot() {
    agent(1);
    reports.needReboot.add(1L);
    TicketResult result = run("t-agent-repair", Operation.REPAIR, 1, List.of(1L), SuspensionSpec.never());

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(records.outcomes.get(1L).errorMessage()).isNull();
    assertThat(steps).containsExactly("plan:1", "install@1:[bash-5.1-2.x86_64]", "collect@1",
        "record-repair:1:[]", "reboot@1", "await@1", "await@1", "known-checksums", "collect@1",
        "record-scan:1:kernel-of-1:REPAIR");
    assertThat(records.outcomes.get(1L).detail()).isEqualTo("installed 1 of 1 patches; rebooted and scanned again");
  }

  /**
   * One pipeline: an SSH host and an agent host of one repair ticket take the same steps in the
   * same order, the central ones (plan, record-repair, record-scan) the very same activities;
   * only where the host steps run differs (the central queue, or the agent's own).
   */
  @Test
  void aMixedRepairRunsTheSameStepsForAnSshHostAndAnAgentHost() {
    agent(2);
    reports.needReboot.addAll(List.of(1L, 2L));
    TicketResult result = run("t-mixed-repair", Operation.REPAIR, 2, List.of(2L), SuspensionSpec.never());

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(steps).containsExactly(
        "plan:1", "install:1", "record-repair:1:[]", "reboot:1", "await:1", "collect:1",
        "record-scan:1:kernel-of-1:REPAIR",
        "plan:2", "install@2:[bash-5.1-2.x86_64]", "collect@2", "record-repair:2:[]", "reboot@2", "await@2", "await@2",
        "known-checksums", "collect@2", "record-scan:2:kernel-of-2:REPAIR");
    assertThat(records.outcomes.get(1L).detail()).isEqualTo(records.outcomes.get(2L).detail())
        .isEqualTo("installed 1 of 1 patches; rebooted and scanned again");
  }

  static final TicketHooks HOOKS = new TicketHooks(new HostHook("drain", 1, "echo drain", 60),
      new HostHook("health", 4, "echo ok", 60));

  /** Hooks run where the host's other steps run: on the agent's own queue for an agent host, centrally for an SSH one. */
  @Test
  void theHooksOfAnAgentHostRunThroughItsAgent() {
    agent(2);
    TicketResult result = run("t-agent-hooks", Operation.REPAIR, 2, List.of(2L), SuspensionSpec.never(), null, HOOKS);

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(steps).containsExactly("pre-hook:1", "plan:1", "install:1", "record-repair:1:[]", "post-hook:1",
        "pre-hook@2:drain@1", "plan:2", "install@2:[bash-5.1-2.x86_64]", "collect@2", "record-repair:2:[]",
        "post-hook@2:health@4");
    assertThat(records.outcomes.get(2L).hookOutput()).startsWith("pre-hook drain@1 exited 0 in 0.0 s:\nok\n")
        .endsWith("post-hook health@4 exited 0 in 0.0 s:\nok");
  }

  /**
   * Guards replay compatibility of the agent steps: batch histories (a mixed scan with one agent
   * host; an agent repair with its reboot) recorded with the agent steps as they came (v1) and with
   * the one host pipeline (v2), with the summaries of Temporal's Web UI (v3), and with the agent told
   * the catalog's checksums (v4, version 1 of agent-updateinfo-by-checksum), with the agent's boot
   * mark checked centrally (repair v5, version 1 of agent-boot-mark-check), with hooks around each
   * host (repair v6: the SSH host's hooks central, the agent host's on its queue), must replay on later
   * code. A missing newest history is recorded when run with -Dpatchloop.recordHistory=true; delete
   * it first to record it again, only on purpose.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"batch-agent-scan-v1.json", "batch-agent-repair-v1.json",
      "batch-agent-scan-v2.json", "batch-agent-repair-v2.json", "batch-agent-scan-v3.json",
      "batch-agent-repair-v3.json", "batch-agent-scan-v4.json", "batch-agent-repair-v4.json",
      "batch-agent-repair-v5.json", "batch-agent-repair-v6.json"})
  void replaysARecordedAgentBatchHistory(String name) throws Exception {
    java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/histories", name);
    if (Boolean.getBoolean("patchloop.recordHistory") && !java.nio.file.Files.exists(file)) {
      String ticket = name.replace(".json", "");
      agent(1);
      agent(2);
      if (name.contains("repair")) {
        reports.needReboot.add(2L);
        // from v6 the repair runs hooks around each host (issue 21)
        run(ticket, Operation.REPAIR, 2, List.of(2L), SuspensionSpec.never(), null, name.endsWith("v6.json") ? HOOKS : null);
      } else {
        run(ticket, Operation.SCAN, 3, List.of(2L), SuspensionSpec.never());
      }
      java.nio.file.Files.writeString(file,
          client.fetchHistory(TicketWorkflow.batchWorkflowId(ticket, 1)).toJson(true));
    }
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(java.nio.file.Files.readString(file),
        BatchWorkflowImpl.class);
  }
}
