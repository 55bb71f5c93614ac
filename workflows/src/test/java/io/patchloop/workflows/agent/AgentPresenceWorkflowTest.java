package io.patchloop.workflows.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agents' reports reach the records through one presence workflow per host, started by the first report. */
class AgentPresenceWorkflowTest {

  final List<AgentReport> recorded = new CopyOnWriteArrayList<>();
  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(AgentPresenceWorkflowImpl.class);
    worker.registerActivitiesImplementations((AgentPresenceActivities) recorded::add);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  /** What the agent does on every report: signal-with-start, so the first one starts the workflow. */
  void report(long hostId, String version) {
    AgentPresenceWorkflow presence = client.newWorkflowStub(AgentPresenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(AgentPresenceWorkflow.workflowId(hostId)).setTaskQueue(TaskQueues.TICKETS).build());
    var request = client.newSignalWithStartRequest();
    request.add(presence::run, hostId);
    request.add(presence::report, new AgentReport(hostId, version, Map.of("hostname", "lab0" + hostId), 1L));
    client.signalWithStart(request);
  }

  @Test
  void recordsEveryReportInOrderThroughOneWorkflowPerHostAndEndsAfterADayOfSilence() {
    report(4, "0.1.0");
    report(4, "0.1.1");
    report(5, "0.1.0");
    env.sleep(Duration.ofSeconds(5));
    assertThat(recorded).extracting(r -> r.hostId() + "@" + r.agentVersion())
        .containsExactlyInAnyOrder("4@0.1.0", "4@0.1.1", "5@0.1.0");
    assertThat(recorded.stream().filter(r -> r.hostId() == 4).map(AgentReport::agentVersion))
        .containsExactly("0.1.0", "0.1.1");

    WorkflowStub four = client.newUntypedWorkflowStub(AgentPresenceWorkflow.workflowId(4));
    assertThat(status(four)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    env.sleep(AgentPresenceWorkflowImpl.IDLE_END.plusMinutes(1));
    assertThat(status(four)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    // the agent's next report starts it again
    report(4, "0.1.2");
    env.sleep(Duration.ofSeconds(5));
    assertThat(recorded).extracting(AgentReport::agentVersion).contains("0.1.2");
  }

  private WorkflowExecutionStatus status(WorkflowStub stub) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(env.getNamespace())
            .setExecution(stub.getExecution())
            .build()).getWorkflowExecutionInfo().getStatus();
  }
}
