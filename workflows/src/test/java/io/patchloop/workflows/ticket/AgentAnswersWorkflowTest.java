package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.inventory.HostDataLimits;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentRouting;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.notify.NotifyWorkflowImpl;
import io.patchloop.workflows.notify.RecordedNotifications;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.TicketWorkflowTest.MemoryRecords;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedHosts;
import io.patchloop.workflows.ticket.TicketWorkflowTest.ScriptedReports;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent answers is host data, whatever agent sent it (review M7): an answer no honest agent
 * gives fails its host with a readable kind, and the ticket goes on. The "agent" here answers on the
 * host's queue with raw JSON (a dynamic activity), as a rogue agent could: values the result's
 * types refuse (a negative epoch), a failure message of a megabyte, a boot mark no kernel gives.
 */
class AgentAnswersWorkflowTest {

  TestWorkflowEnvironment env;
  WorkflowClient client;
  List<String> steps;
  ScriptedReports reports;
  MemoryRecords records;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class, BatchWorkflowImpl.class,
        NotifyWorkflowImpl.class);
    steps = new CopyOnWriteArrayList<>();
    reports = new ScriptedReports(steps);
    records = new MemoryRecords();
    worker.registerActivitiesImplementations(new ScriptedHosts(steps), reports, records, new RecordedNotifications());
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  /** An agent of host 1 that answers each step (by activity type) with {@code answer}'s raw value. */
  void rogueAgent(Function<String, Object> answer) {
    env.newWorker(TaskQueues.forHost(1)).registerActivitiesImplementations((DynamicActivity) (EncodedValues args) -> {
      String type = Activity.getExecutionContext().getInfo().getActivityType();
      steps.add(type);
      return answer.apply(type);
    });
  }

  /** The ticket's result, or null when it did not end within a minute. */
  TicketResult run(Operation operation) throws Exception {
    env.start();
    TicketRequest request = new TicketRequest("t-rogue", operation, List.of(new TicketHost(1, null)), null,
        BatchSpec.none(), 1, SuspensionSpec.never(), operation == Operation.REPAIR ? RebootOption.REBOOT_IF_NEEDED : null,
        300, 0, new AgentRouting(List.of(1L), 5, 4), null, null);
    WorkflowStub stub = client.newUntypedWorkflowStub("TicketWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId("t-rogue").setTaskQueue(TaskQueues.TICKETS).build());
    stub.start(request, null);
    try {
      return stub.getResultAsync(TicketResult.class).get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException stuck) {
      return null;
    }
  }

  static Map<String, Object> inventory(long epoch, String bootId) {
    return Map.of("osId", "hce", "osVersion", "2.0", "product", "HCE 2.0", "runningKernel", "5.10.0-1.hce2.x86_64",
        "bootTime", "2026-11-01T00:00:00Z",
        "packages", List.of(Map.of("name", "bash", "evr", Map.of("epoch", epoch, "version", "5.1", "release", "1.hce2"),
            "arch", "x86_64", "installedAt", "2026-10-01T00:00:00Z")),
        "kernelPackageNames", List.of("kernel"), "advisories", List.of(), "needsRestarting", false);
  }

  /**
   * Before: the converter's exception escaped the host's steps; the host failed INTERNAL (a kind that
   * says "the platform's bug, may pass") with Jackson's words, and nothing was recorded on the host.
   */
  @Test
  void anInventoryTheResultTypesRefuseFailsTheHostAsUnparseable() throws Exception {
    rogueAgent(type -> type.equals("AgentCollectInventory") ? inventory(-1, null) : null);
    TicketResult result = run(Operation.SCAN);

    assertThat(result).as("the ticket ends").isNotNull();
    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    HostOutcome host = records.outcomes.get(1L);
    assertThat(host.state()).isEqualTo(HostOutcome.State.FAILED);
    assertThat(host.errorKind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE);
    assertThat(host.errorMessage()).contains("agent of host 1").contains("negative epoch");
    assertThat(steps).contains("host-failure:1:OUTPUT_UNPARSEABLE").noneMatch(s -> s.startsWith("record-scan"));
  }

  /** Before: the whole megabyte went into the host's outcome (and the batch's history with it). */
  @Test
  void anAgentsFailureMessageIsCutToWhatIsKept() throws Exception {
    String huge = "E".repeat(1_000_000);
    rogueAgent(type -> {
      throw ApplicationFailure.newNonRetryableFailure(huge, "COMMAND_FAILED");
    });
    TicketResult result = run(Operation.SCAN);

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    HostOutcome host = records.outcomes.get(1L);
    assertThat(host.errorKind()).isEqualTo(HostErrorKind.COMMAND_FAILED);
    assertThat(host.errorMessage()).hasSize(HostDataLimits.MAX_MESSAGE).startsWith("EEEE").endsWith("…");
  }

  /** Before: the mark was taken as it came and handed back to the agent to wait on. */
  @Test
  void aBootMarkNoKernelGivesFailsTheHost() throws Exception {
    reports.needReboot.add(1L);
    rogueAgent(type -> switch (type) {
      case "AgentInstallPatches" -> Map.of("failures", Map.of(), "after", inventory(0, null));
      case "AgentRequestReboot" -> Map.of("bootId", "x".repeat(100) + "; reboot", "bootTimeSeconds", 1000);
      default -> Map.of("bootId", "b", "bootTimeSeconds", 2000);
    });
    TicketResult result = run(Operation.REPAIR);

    assertThat(result.status()).isEqualTo(TicketStatus.COMPLETED);
    HostOutcome host = records.outcomes.get(1L);
    assertThat(host.errorKind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE);
    assertThat(host.errorMessage()).contains("boot mark");
    assertThat(steps).contains("AgentRequestReboot").doesNotContain("AgentAwaitBootAfter");
  }
}
