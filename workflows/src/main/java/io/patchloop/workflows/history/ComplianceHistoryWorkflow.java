package io.patchloop.workflows.history;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The daily compliance snapshot: sleeps until the configured time of day (UTC), takes the snapshot
 * of that day and applies the retention, then continues as new for the next day. One runs for the
 * whole platform, under {@link #WORKFLOW_ID}; the worker starts it.
 */
@WorkflowInterface
public interface ComplianceHistoryWorkflow {

  String WORKFLOW_ID = "compliance-history";

  /** @param timeOfDay HH:mm, in UTC: when the next snapshot is taken */
  @WorkflowMethod
  void run(String timeOfDay);

  /** When the next snapshot is taken (epoch milliseconds). */
  @QueryMethod
  long nextSnapshotAt();
}
