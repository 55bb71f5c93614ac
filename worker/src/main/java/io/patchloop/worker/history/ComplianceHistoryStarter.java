package io.patchloop.worker.history;

import io.patchloop.reports.ComplianceHistoryProperties;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.history.ComplianceHistoryWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the one daily-snapshot workflow running: starts it when the worker is ready, and checks
 * again every hour, since the embedded Temporal server keeps no workflow across its restarts and a
 * start may fail while Temporal is out of reach. Starting it when it runs already does nothing, so
 * several workers can all do this.
 */
@Component
public class ComplianceHistoryStarter {

  private static final Logger log = LoggerFactory.getLogger(ComplianceHistoryStarter.class);

  private final WorkflowClient temporal;
  private final ComplianceHistoryProperties properties;

  public ComplianceHistoryStarter(WorkflowClient temporal, ComplianceHistoryProperties properties) {
    this.temporal = temporal;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void started() {
    ensureRunning();
  }

  @Scheduled(initialDelayString = "PT1H", fixedDelayString = "PT1H")
  public void ensureRunning() {
    ComplianceHistoryWorkflow workflow = temporal.newWorkflowStub(ComplianceHistoryWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(ComplianceHistoryWorkflow.WORKFLOW_ID)
            .setTaskQueue(TaskQueues.TICKETS)
            .build());
    try {
      WorkflowClient.start(workflow::run, properties.time().toString());
      log.info("started the daily compliance snapshot ({} UTC)", properties.time());
    } catch (WorkflowExecutionAlreadyStarted running) {
      // it runs already: a changed time reaches it with its next snapshot
    } catch (RuntimeException e) {
      log.warn("could not start the daily compliance snapshot, trying again within the hour: {}", e.toString());
    }
  }
}
