package io.patchloop.hoststeps;

import io.patchloop.advisories.UpdateInfoFileStore;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.repair.RebootNeed;
import io.patchloop.repair.RepairPlanner;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.reports.ReportWarning;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.host.ReportActivities;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.repair.RepairSummary;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.patchloop.workflows.ticket.Operation;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The central steps of every host's scan and repair, whether the host was read over SSH or by its
 * agent: plan from the newest report, evaluate what was read and replace the report (never half of
 * it: the store replaces it in one transaction), record a failure on the host. A report replaced
 * clears the host's error.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class ReportActivitiesImpl implements ReportActivities {

  private static final Logger log = LoggerFactory.getLogger(ReportActivitiesImpl.class);

  private final HostStore hosts;
  private final BaselineStore baselines;
  private final ReportStore reports;
  private final Clock clock;
  private final Duration maxMetadataAge;
  private final UpdateInfoFileStore updateInfoFiles;
  private final CatalogAdvisories catalogAdvisories;
  private final int knownChecksumsLimit;
  private final ComplianceEngine engine = new ComplianceEngine();
  private final HostStepTimer timer;

  /**
   * @param maxMetadataAge metadata older than this still gives a report, marked STALE_METADATA: a
   *     repository unreachable for a while should not blind the fleet's reports, but say so
   * @param knownChecksumsLimit how many checksums an agent is told the catalog holds: each scan of an
   *     agent host carries them twice in its batch's history (about 72 bytes each before gzip)
   */
  public ReportActivitiesImpl(HostStore hosts, BaselineStore baselines, ReportStore reports, Clock clock,
      @Value("${patchloop.scan.max-metadata-age:7d}") Duration maxMetadataAge, UpdateInfoFileStore updateInfoFiles,
      CatalogAdvisories catalogAdvisories,
      @Value("${patchloop.scan.agent-known-checksums:200}") int knownChecksumsLimit, HostStepTimer timer) {
    this.timer = timer;
    this.hosts = hosts;
    this.baselines = baselines;
    this.reports = reports;
    this.clock = clock;
    this.maxMetadataAge = maxMetadataAge;
    this.updateInfoFiles = updateInfoFiles;
    this.catalogAdvisories = catalogAdvisories;
    this.knownChecksumsLimit = knownChecksumsLimit;
  }

  @Override
  public RepairPlan planRepair(RepairRequest request) {
    return timer.time(HostStepTimer.PLAN_REPAIR, () -> central(() -> {
      HostReport report = newestReport(hosts.get(request.hostId()), request);
      return RepairPlanner.plan(report, baselines.get(report.baselineId()));
    }));
  }

  @Override
  public ScanSummary recordScan(ScanRequest request, HostInventory collected) {
    return timer.time(HostStepTimer.RECORD_SCAN, () -> central(() -> {
      Host host = hosts.get(request.hostId());
      Baseline baseline = baselineFor(request, host);
      HostInventory inventory = hostData(host, () -> catalogAdvisories.resolve(InventoryCheck.checked(collected)));
      Instant now = clock.instant();
      // a patch the newest repair failed stays FAILED until it is installed or tried again
      Map<String, String> failedBefore = reports.failedAdvisories(host.id());
      HostCompliance compliance = engine.evaluate(inventory, baseline, now, failedBefore.keySet());
      Operation operation = request.reportOperation() == null ? Operation.SCAN : request.reportOperation();
      replaceReport(host, baseline, request.ticketId(), operation, now, inventory, compliance, failedBefore);
      Map<PatchState, Integer> c = compliance.countsByState();
      return new ScanSummary(host.id(), baseline.id(), compliance.status(), c.get(PatchState.INSTALLED),
          c.get(PatchState.INSTALLED_OTHER), c.get(PatchState.INSTALLED_PENDING_REBOOT),
          c.get(PatchState.INSTALLED_REJECTED), c.get(PatchState.MISSING), c.get(PatchState.FAILED));
    }));
  }

  /**
   * Every planned patch the host still misses is FAILED, whether the package manager said so or
   * not (a package that installed, but at a lower version than asked, say), with its error when it
   * gave one.
   */
  @Override
  public RepairSummary recordRepair(RepairRequest request, RepairPlan plan, InstallResult result) {
    return timer.time(HostStepTimer.RECORD_REPAIR, () -> central(() -> {
      Host host = hosts.get(request.hostId());
      Baseline baseline = baselines.get(newestReport(host, request).baselineId());
      Instant now = clock.instant();
      InstallResult checked = hostData(host, () -> InventoryCheck.checked(result));
      HostInventory inventory = hostData(host, () -> catalogAdvisories.resolve(checked.after()));
      Set<String> planned = plan.patches().stream().map(RepairPlan.Patch::advisoryId).collect(Collectors.toSet());
      HostCompliance compliance = engine.evaluate(inventory, baseline, now, planned);
      Map<String, PatchState> after = compliance.patches().stream()
          .filter(p -> p.advisory().id() != null)
          .collect(Collectors.toMap(p -> p.advisory().id(), PatchCompliance::state, (a, b) -> a, LinkedHashMap::new));
      Map<String, String> failed = new LinkedHashMap<>();
      int installed = 0;
      for (RepairPlan.Patch p : plan.patches()) {
        if (after.get(p.advisoryId()) == PatchState.FAILED) {
          failed.put(p.advisoryId(), checked.failures().getOrDefault(p.advisoryId(),
              "the package manager reported success, but the host still misses this patch"));
        } else {
          installed++;
        }
      }
      replaceReport(host, baseline, request.ticketId(), Operation.REPAIR, now, inventory, compliance, failed);
      boolean needsReboot = RebootNeed.after(inventory, compliance);
      log.info("repaired host {} ({}): {} of {} patches installed, {} failed, reboot needed: {}", host.id(),
          host.name(), installed, plan.patches().size(), failed.size(), needsReboot);
      List<String> listed = failed.keySet().stream().limit(RepairSummary.MAX_LISTED).toList();
      return new RepairSummary(host.id(), baseline.id(), plan.patches().size(), installed, failed.size(), listed,
          needsReboot, compliance.status());
    }));
  }

  @Override
  public List<String> knownUpdateInfoChecksums() {
    return Heartbeats.during(() -> {
      try {
        return updateInfoFiles.recentlyUsedChecksums(knownChecksumsLimit);
      } catch (RuntimeException unavailable) {
        // the agent then reads every file itself: a slower scan, not a failed one
        log.warn("the advisory catalog cannot be read ({}); agents read every updateinfo file themselves",
            unavailable.getMessage());
        return List.of();
      }
    });
  }

  /**
   * What a host step handed in, checked as the host's parsers check theirs ({@link InventoryCheck}:
   * an agent's inventory and install result are host data), with the advisories its agent left to
   * the catalog; an unusable inventory, or a file the catalog no longer has, fails the host (recorded
   * on it), since a report from the rest could say COMPLIANT falsely.
   */
  private <T> T hostData(Host host, Supplier<T> check) {
    try {
      return check.get();
    } catch (ApplicationFailure unusable) {
      hosts.recordError(host.id(), HostErrorKind.valueOf(unusable.getType()), unusable.getOriginalMessage(),
          clock.instant());
      throw unusable;
    }
  }

  @Override
  public void recordHostFailure(long hostId, HostErrorKind kind, String message) {
    // an agent's failure is its own words, of any length: kept as a report keeps a failure message
    String kept = HostDataLimits.message(message);
    central(() -> {
      hosts.recordError(hostId, kind == null ? HostErrorKind.INTERNAL : kind, kept, clock.instant());
      return null;
    });
    log.info("host {} failed: {} {}", hostId, kind, kept);
  }

  /**
   * Runs a central step, heartbeating, and says how it failed in the terms of the retry policy: the
   * database out of reach is DATABASE_UNAVAILABLE, which the step options retry for minutes (the
   * host's work is done and must not be lost to a failover); anything else unexpected is INTERNAL
   * at once, since trying the same evaluation again gives the same bug.
   */
  private static <T> T central(Supplier<T> step) {
    return Heartbeats.during(() -> {
      try {
        return step.get();
      } catch (ApplicationFailure typed) {
        throw typed;
      } catch (TransientDataAccessException | DataAccessResourceFailureException | CannotCreateTransactionException e) {
        throw HostErrorKind.DATABASE_UNAVAILABLE.failure("the database did not answer: "
            + e.getMostSpecificCause().getMessage());
      } catch (RuntimeException e) {
        log.error("a central step failed unexpectedly", e);
        throw ApplicationFailure.newNonRetryableFailure(e.getClass().getSimpleName() + ": " + e.getMessage(),
            HostErrorKind.INTERNAL.name());
      }
    });
  }

  private void replaceReport(Host host, Baseline baseline, String ticketId, Operation operation, Instant now,
      HostInventory inventory, HostCompliance compliance, Map<String, String> failures) {
    reports.replace(host.id(), baseline.id(), ticketId, operation.name(), now, inventory, compliance, failures,
        warnings(inventory));
    hosts.clearError(host.id());
  }

  private List<ReportWarning> warnings(HostInventory inventory) {
    Long age = inventory.metadataAgeSeconds();
    return age != null && age > maxMetadataAge.toSeconds() ? List.of(ReportWarning.STALE_METADATA) : List.of();
  }

  private Baseline baselineFor(ScanRequest request, Host host) {
    return request.baselineId() != null
        ? baselines.get(request.baselineId())
        : baselines.defaultFor(host.osFamily()).orElseThrow(() -> HostErrorKind.NO_BASELINE.failure(
            "no baseline given and no default baseline for " + host.osFamily()));
  }

  private HostReport newestReport(Host host, RepairRequest request) {
    HostReport report = reports.newest(host.id()).orElseThrow(() -> HostErrorKind.NO_REPORT.failure(
        "host " + host.name() + " has no compliance report to repair from; scan it first"));
    if (request.baselineId() != null && report.baselineId() != request.baselineId()) {
      throw HostErrorKind.NO_REPORT.failure("the newest report of host " + host.name() + " is under baseline "
          + report.baselineId() + ", not " + request.baselineId() + "; scan it under that baseline first");
    }
    return report;
  }
}
