package io.patchloop.scan;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.collect.RpmCollector;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.HostInventory;
import io.patchloop.reports.ReportStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.scan.ScanActivities;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Scans one host: connect, collect, evaluate, store its newest report. A failure is recorded on
 * the host, in words a person can act on, and leaves the previous report as it was.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class ScanActivitiesImpl implements ScanActivities {

  private static final Logger log = LoggerFactory.getLogger(ScanActivitiesImpl.class);

  private final HostStore hosts;
  private final BaselineStore baselines;
  private final HostTargets targets;
  private final HostAccess access;
  private final RpmCollector collector;
  private final ReportStore reports;
  private final Clock clock;
  private final ComplianceEngine engine = new ComplianceEngine();

  public ScanActivitiesImpl(HostStore hosts, BaselineStore baselines, HostTargets targets, HostAccess access,
      RpmCollector collector, ReportStore reports, Clock clock) {
    this.hosts = hosts;
    this.baselines = baselines;
    this.targets = targets;
    this.access = access;
    this.collector = collector;
    this.reports = reports;
    this.clock = clock;
  }

  @Override
  public ScanSummary scanHost(ScanRequest request) {
    return Heartbeats.during(() -> scan(request));
  }

  @Override
  public ScanSummary recordScan(ScanRequest request, HostInventory inventory) {
    Host host = hosts.get(request.hostId());
    return Heartbeats.during(() -> record(request, host, baselineFor(request, host), inventory));
  }

  @Override
  public void recordHostFailure(long hostId, String kind, String message) {
    hosts.recordError(hostId, kind, message, clock.instant());
    log.info("host {} failed through its agent: {} {}", hostId, kind, message);
  }

  private ScanSummary scan(ScanRequest request) {
    Host host = hosts.get(request.hostId());
    Baseline baseline = baselineFor(request, host);
    HostInventory inventory;
    try (HostSession session = access.open(targets.of(host))) {
      inventory = collector.collect(session);
    } catch (HostAccessException e) {
      hosts.recordError(host.id(), e.kind().name(), e.getMessage(), clock.instant());
      log.info("scan of host {} ({}) failed: {} {}", host.id(), host.name(), e.kind(), e.getMessage());
      throw e.toActivityFailure();
    }
    return record(request, host, baseline, inventory);
  }

  private Baseline baselineFor(ScanRequest request, Host host) {
    return request.baselineId() != null
        ? baselines.get(request.baselineId())
        : baselines.defaultFor(host.osFamily()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "no baseline given and no default baseline for " + host.osFamily(), "NO_BASELINE"));
  }

  /** Evaluates what was collected (over SSH or by the agent) and replaces the host's report. */
  private ScanSummary record(ScanRequest request, Host host, Baseline baseline, HostInventory inventory) {
    Instant now = clock.instant();
    Map<String, String> failedBefore = reports.failedAdvisories(host.id());
    HostCompliance compliance = engine.evaluate(inventory, baseline, now, failedBefore.keySet());
    reports.replace(host.id(), baseline.id(), request.ticketId(),
        request.reportOperation() == null ? "SCAN" : request.reportOperation(), now, inventory, compliance, failedBefore);
    hosts.clearError(host.id());
    Map<PatchState, Integer> c = compliance.countsByState();
    return new ScanSummary(host.id(), baseline.id(), compliance.status().name(), c.get(PatchState.INSTALLED),
        c.get(PatchState.INSTALLED_OTHER), c.get(PatchState.INSTALLED_PENDING_REBOOT),
        c.get(PatchState.INSTALLED_REJECTED), c.get(PatchState.MISSING), c.get(PatchState.FAILED));
  }
}
