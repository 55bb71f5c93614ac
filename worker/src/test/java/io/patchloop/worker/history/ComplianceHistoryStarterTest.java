package io.patchloop.worker.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.testing.db.TestDatabase;
import io.patchloop.worker.WorkerApplication;
import io.patchloop.workflows.history.ComplianceHistoryWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole worker (as the worker and the standalone app configure it) on a real database and the
 * in-memory Temporal test server: it starts the one daily-snapshot workflow and runs it.
 */
@SpringBootTest(classes = WorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ComplianceHistoryStarterTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    var db = TestDatabase.create("historystarter");
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    registry.add("spring.temporal.test-server.enabled", () -> "true");
    registry.add("patchloop.secrets.master-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    registry.add("patchloop.history.time", () -> "03:45");
  }

  @Autowired WorkflowClient temporal;
  @Autowired ComplianceHistoryStarter starter;

  @Test
  void theWorkerStartsTheDailySnapshotOnceAndItsWorkflowRuns() {
    WorkflowExecutionStatus status = temporal.newUntypedWorkflowStub(ComplianceHistoryWorkflow.WORKFLOW_ID)
        .describe().getStatus();
    assertThat(status).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    String runId = temporal.newUntypedWorkflowStub(ComplianceHistoryWorkflow.WORKFLOW_ID).describe().getExecution()
        .getRunId();

    starter.ensureRunning(); // again, as the hourly check and every other worker do: nothing changes
    assertThat(temporal.newUntypedWorkflowStub(ComplianceHistoryWorkflow.WORKFLOW_ID).describe().getExecution()
        .getRunId()).isEqualTo(runId);

    // a query is answered by the workflow's worker: the worker runs it, waiting for 03:45 UTC
    long next = temporal.newWorkflowStub(ComplianceHistoryWorkflow.class, ComplianceHistoryWorkflow.WORKFLOW_ID)
        .nextSnapshotAt();
    assertThat(Instant.ofEpochMilli(next).atZone(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(3, 45));
  }
}
