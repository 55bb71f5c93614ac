package io.patchloop.hoststeps;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.host.FusedSshActivities;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * A whole SSH scan or repair in one activity, for batches started before the one host pipeline
 * (see {@link FusedSshActivities}): the very same steps, called in turn in one activity, and a
 * failure of the host recorded here because those batches do not record it themselves.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class FusedSshActivitiesImpl implements FusedSshActivities {

  private final SshHostActivitiesImpl ssh;
  private final ReportActivitiesImpl reports;

  public FusedSshActivitiesImpl(SshHostActivitiesImpl ssh, ReportActivitiesImpl reports) {
    this.ssh = ssh;
    this.reports = reports;
  }

  @Override
  public ScanSummary scanHost(ScanRequest request) {
    // batches this old carry no refresh option: the default, as they ran it
    HostInventory inventory = recordingFailure(request.hostId(),
        () -> ssh.collectInventory(request.hostId(), MetadataRefresh.AUTO));
    return reports.recordScan(request, inventory);
  }

  @Override
  public RepairSummary repairHost(RepairRequest request) {
    RepairPlan plan = reports.planRepair(request);
    InstallResult result = recordingFailure(request.hostId(), () -> ssh.installPatches(request.hostId(), plan));
    return reports.recordRepair(request, plan, result);
  }

  private <T> T recordingFailure(long hostId, Supplier<T> step) {
    try {
      return step.get();
    } catch (ApplicationFailure f) {
      reports.recordHostFailure(hostId, HostErrorKind.ofType(f.getType()), f.getOriginalMessage());
      throw f;
    }
  }
}
