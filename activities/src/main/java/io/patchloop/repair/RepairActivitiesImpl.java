package io.patchloop.repair;

import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.collect.RpmCollector;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.HostInventory;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.scan.Heartbeats;
import io.patchloop.scan.HostTargets;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairActivities;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Repairs one host: plans from its newest report, installs over one SSH session, reads the host
 * back with the scan's collector, and replaces the report with that truth, the patches that
 * failed marked FAILED with the package manager's error. The report is never left stale: it is
 * replaced even when some patches failed.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class RepairActivitiesImpl implements RepairActivities {

  private static final Logger log = LoggerFactory.getLogger(RepairActivitiesImpl.class);

  private final HostStore hosts;
  private final BaselineStore baselines;
  private final HostTargets targets;
  private final HostAccess access;
  private final RpmCollector collector;
  private final RpmInstaller installer;
  private final ReportStore reports;
  private final Clock clock;
  private final ComplianceEngine engine = new ComplianceEngine();

  public RepairActivitiesImpl(HostStore hosts, BaselineStore baselines, HostTargets targets, HostAccess access,
      RpmCollector collector, RpmInstaller installer, ReportStore reports, Clock clock) {
    this.hosts = hosts;
    this.baselines = baselines;
    this.targets = targets;
    this.access = access;
    this.collector = collector;
    this.installer = installer;
    this.reports = reports;
    this.clock = clock;
  }

  @Override
  public RepairSummary repairHost(RepairRequest request) {
    return Heartbeats.during(() -> repair(request));
  }

  @Override
  public RepairPlan planRepair(RepairRequest request) {
    HostReport report = newestReport(hosts.get(request.hostId()), request);
    return RepairPlanner.plan(report, baselines.get(report.baselineId()));
  }

  @Override
  public RepairSummary recordRepair(RepairRequest request, RepairPlan plan, InstallResult result) {
    Host host = hosts.get(request.hostId());
    Baseline baseline = baselines.get(newestReport(host, request).baselineId());
    return Heartbeats.during(() -> record(request, host, baseline, plan, result.failures(), result.after()));
  }

  private RepairSummary repair(RepairRequest request) {
    Host host = hosts.get(request.hostId());
    HostReport report = newestReport(host, request);
    Baseline baseline = baselines.get(report.baselineId());
    RepairPlan plan = RepairPlanner.plan(report, baseline);
    Map<String, String> failures;
    HostInventory inventory;
    try (HostSession session = access.open(targets.of(host))) {
      failures = installer.install(session, plan);
      inventory = collector.collect(session);
    } catch (HostAccessException e) {
      hosts.recordError(host.id(), e.kind().name(), e.getMessage(), clock.instant());
      log.info("repair of host {} ({}) failed: {} {}", host.id(), host.name(), e.kind(), e.getMessage());
      throw e.toActivityFailure();
    }
    return record(request, host, baseline, plan, failures, inventory);
  }

  private HostReport newestReport(Host host, RepairRequest request) {
    HostReport report = reports.newest(host.id()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "host " + host.name() + " has no compliance report to repair from; scan it first", "NO_REPORT"));
    if (request.baselineId() != null && report.baselineId() != request.baselineId()) {
      throw ApplicationFailure.newNonRetryableFailure("the newest report of host " + host.name() + " is under baseline "
          + report.baselineId() + ", not " + request.baselineId() + "; scan it under that baseline first", "NO_REPORT");
    }
    return report;
  }

  /**
   * Replaces the report with what the host runs after installing (read over SSH or by the agent):
   * every planned patch it still misses is FAILED, with the package manager's error when it gave one.
   */
  private RepairSummary record(RepairRequest request, Host host, Baseline baseline, RepairPlan plan,
      Map<String, String> failures, HostInventory inventory) {
    Instant now = clock.instant();
    // every planned patch the host still misses is FAILED, whether dnf said so or not (a package
    // that installed, but at a lower version than asked, say)
    Set<String> planned = plan.patches().stream().map(RepairPlan.Patch::advisoryId).collect(Collectors.toSet());
    HostCompliance compliance = engine.evaluate(inventory, baseline, now, planned);
    Map<String, PatchState> after = compliance.patches().stream()
        .filter(p -> p.advisory().id() != null)
        .collect(Collectors.toMap(p -> p.advisory().id(), PatchCompliance::state, (a, b) -> a, LinkedHashMap::new));
    Map<String, String> failed = new LinkedHashMap<>();
    int installed = 0;
    for (RepairPlan.Patch p : plan.patches()) {
      if (after.get(p.advisoryId()) == PatchState.FAILED) {
        failed.put(p.advisoryId(), failures.getOrDefault(p.advisoryId(),
            "the package manager reported success, but the host still misses this patch"));
      } else {
        installed++;
      }
    }
    reports.replace(host.id(), baseline.id(), request.ticketId(), "REPAIR", now, inventory, compliance, failed);
    hosts.clearError(host.id());
    boolean needsReboot = Boolean.TRUE.equals(inventory.needsRestarting())
        || compliance.patches().stream().anyMatch(p -> p.state() == PatchState.INSTALLED_PENDING_REBOOT);
    log.info("repaired host {} ({}): {} of {} patches installed, {} failed, reboot needed: {}", host.id(), host.name(),
        installed, plan.patches().size(), failed.size(), needsReboot);
    List<String> listed = failed.keySet().stream().limit(RepairSummary.MAX_LISTED).toList();
    return new RepairSummary(host.id(), baseline.id(), plan.patches().size(), installed, failed.size(), listed,
        needsReboot, compliance.status().name());
  }

}
