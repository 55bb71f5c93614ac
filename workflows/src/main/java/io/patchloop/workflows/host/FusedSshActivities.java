package io.patchloop.workflows.host;

import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * A whole SSH scan or repair in one activity, as batches ran them before the one host pipeline
 * (version {@code one-host-pipeline}). Only batches started before that version call these; the
 * workers keep them so such batches replay and finish after an upgrade. Delete them once no
 * ticket started by an older release runs any more.
 */
@ActivityInterface
public interface FusedSshActivities {

  /** Collects over SSH, then records as {@link ReportActivities#recordScan} does. */
  @ActivityMethod
  ScanSummary scanHost(ScanRequest request);

  /** Plans, installs over SSH and records, as {@link ReportActivities} and {@link SshHostActivities} do in turn. */
  @ActivityMethod
  RepairSummary repairHost(RepairRequest request);
}
