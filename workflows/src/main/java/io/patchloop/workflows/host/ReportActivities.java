package io.patchloop.workflows.host;

import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The central steps of every host's scan and repair, the same whether the host was reached over
 * SSH or through its agent: plan from the host's newest report, evaluate what a host step read and
 * replace the report, record a failure on the host. They run on the central workers, next to the
 * database.
 */
@ActivityInterface
public interface ReportActivities {

  /**
   * What a repair installs: every patch the host's newest report marks MISSING or FAILED.
   *
   * @throws io.temporal.failure.ApplicationFailure NO_REPORT when the host has no report (under
   *     the request's baseline)
   */
  @ActivityMethod
  RepairPlan planRepair(RepairRequest request);

  /**
   * Evaluates a collected inventory against the scan's baseline and replaces the host's report.
   * The advisories an agent left to the catalog ({@link HostInventory#catalogChecksums}) are added
   * first; a file the catalog no longer has fails the host METADATA_UNAVAILABLE, no report is made
   * from the rest.
   *
   * @throws io.temporal.failure.ApplicationFailure NO_BASELINE when none is given and the OS has no default
   */
  @ActivityMethod
  ScanSummary recordScan(ScanRequest request, HostInventory inventory);

  /** Replaces the report with what the host runs after installing; planned patches it still misses are FAILED. */
  @ActivityMethod
  RepairSummary recordRepair(RepairRequest request, RepairPlan plan, InstallResult result);

  /**
   * The checksums of the updateinfo files the platform's advisory catalog holds (those used most
   * recently, a bounded number), for an agent to leave to the catalog rather than read itself. An
   * empty list when the catalog cannot be read now: the agent then reads every file, a slower scan
   * rather than none.
   */
  @ActivityMethod
  List<String> knownUpdateInfoChecksums();

  /** Sets the host's {@code lastError}: why a step on the host failed, for whoever looks at the host next. */
  @ActivityMethod
  void recordHostFailure(long hostId, HostErrorKind kind, String message);
}
