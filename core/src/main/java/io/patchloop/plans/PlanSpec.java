package io.patchloop.plans;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.CronSchedule;
import io.patchloop.common.Problems;
import io.patchloop.hosts.Host;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.util.regex.Pattern;

/**
 * An inspection plan as the API takes it: its tickets' hosts and settings, and when to run them.
 * A plan scans (the default), repairs the hosts its baseline finds non-compliant
 * ({@code operation: REPAIR}), or scans and then repairs what the scan found non-compliant
 * ({@code afterScan: REPAIR}).
 *
 * @param cron five fields, e.g. {@code 0 2 * * *} for 02:00 every night
 * @param timeZone an IANA zone such as {@code Asia/Shanghai}; default UTC
 * @param metadataRefresh the plan's tickets' {@link TicketSpec#metadataRefresh()}; default AUTO
 * @param overlapPolicy SKIP (default): no new ticket while the previous one runs; ALLOW
 * @param operation SCAN (default) or REPAIR: each run repairs the selected hosts whose newest report
 *     under the plan's baseline is NON_COMPLIANT
 * @param afterScan REPAIR: after each run's scan ends, a repair of the hosts it found NON_COMPLIANT;
 *     only with operation SCAN
 * @param rebootOption the repair tickets' (NO_REBOOT when left out)
 * @param preHook the repair tickets' hook before each host; also {@code postHook}
 * @param maintenanceWindow the window the plan's repair tickets are bound to (scans are not)
 * @param minLevel {@code afterScan: REPAIR} only: repair only the hosts the scan left with a
 *     non-compliant patch at or above this compliance level (every missing patch of those hosts is
 *     installed); left out, every host the scan found NON_COMPLIANT
 */
public record PlanSpec(
    String name,
    String cron,
    String timeZone,
    TicketSpec.Selector selector,
    Long baselineId,
    BatchSpec batch,
    Integer concurrency,
    SuspensionSpec suspension,
    MetadataRefresh metadataRefresh,
    String overlapPolicy,
    Boolean paused,
    Operation operation,
    Operation afterScan,
    RebootOption rebootOption,
    Integer rebootTimeoutSeconds,
    String preHook,
    String postHook,
    String maintenanceWindow,
    ComplianceLevel minLevel) {

  /** A scan-only plan, as plans were before they could repair. */
  public PlanSpec(String name, String cron, String timeZone, TicketSpec.Selector selector, Long baselineId,
      BatchSpec batch, Integer concurrency, SuspensionSpec suspension, MetadataRefresh metadataRefresh,
      String overlapPolicy, Boolean paused) {
    this(name, cron, timeZone, selector, baselineId, batch, concurrency, suspension, metadataRefresh, overlapPolicy,
        paused, null, null, null, null, null, null, null, null);
  }

  /** This plan, paused or resumed. */
  public PlanSpec withPaused(boolean paused) {
    return new PlanSpec(name, cron, timeZone, selector, baselineId, batch, concurrency, suspension, metadataRefresh,
        overlapPolicy, paused, operation, afterScan, rebootOption, rebootTimeoutSeconds, preHook, postHook,
        maintenanceWindow, minLevel);
  }

  /** Whether the plan's runs repair: directly, or after their scan. */
  public boolean repairs() {
    return operation == Operation.REPAIR || afterScan == Operation.REPAIR;
  }

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");

  public PlanSpec normalized() {
    return new PlanSpec(name, cron == null ? null : cron.trim(), timeZone == null ? "UTC" : timeZone, selector,
        baselineId, batch, concurrency, suspension, MetadataRefresh.orDefault(metadataRefresh),
        overlapPolicy == null ? PlanSchedule.SKIP : overlapPolicy, Boolean.TRUE.equals(paused),
        operation == null ? Operation.SCAN : operation, afterScan, rebootOption, rebootTimeoutSeconds, preHook, postHook,
        maintenanceWindow, minLevel);
  }

  /** Checks what is the plan's own; the ticket part is checked as a ticket would be. */
  Problems validate() {
    Problems problems = new Problems();
    problems.matches("name", name, NAME, "must be 1-128 letters, digits, spaces, '.', '_' or '-'");
    CronSchedule.check(problems, cron, timeZone);
    if (!PlanSchedule.SKIP.equals(overlapPolicy) && !PlanSchedule.ALLOW.equals(overlapPolicy)) {
      problems.add("overlapPolicy", "must be one of [SKIP, ALLOW]");
    }
    problems.required("selector", selector);
    if (afterScan != null && afterScan != Operation.REPAIR) {
      problems.add("afterScan", "must be REPAIR, or left out");
    } else if (afterScan != null && operation == Operation.REPAIR) {
      problems.add("afterScan", "applies to a plan whose operation is SCAN: a REPAIR plan repairs without scanning first");
    }
    if (minLevel != null && afterScan != Operation.REPAIR) {
      problems.add("minLevel", "applies with afterScan REPAIR: it picks which hosts the scan found to repair");
    }
    if (!repairs()) {
      String[] fields = {"rebootOption", "rebootTimeoutSeconds", "preHook", "postHook", "maintenanceWindow"};
      Object[] values = {rebootOption, rebootTimeoutSeconds, preHook, postHook, maintenanceWindow};
      for (int i = 0; i < fields.length; i++) {
        if (values[i] != null) {
          problems.add(fields[i], "applies to plans that repair (operation REPAIR or afterScan REPAIR)");
        }
      }
    }
    return problems;
  }

  /**
   * The ticket one run of this plan starts: its SCAN, or for a REPAIR plan the repair of the
   * selected hosts whose newest report under the plan's baseline is NON_COMPLIANT.
   */
  public TicketSpec ticket() {
    if (operation == Operation.REPAIR) {
      TicketSpec.Selector nonCompliant = new TicketSpec.Selector(
          Boolean.TRUE.equals(selector.all()) ? null : selector.tags(), Boolean.TRUE.equals(selector.all()) ? null
          : selector.osFamily(), null, Host.ComplianceStatus.NON_COMPLIANT, selector.missingAdvisory());
      return repairTicket(null, nonCompliant);
    }
    return scanTicket();
  }

  /** A SCAN of the plan's hosts with its settings: what a scanning run starts, and how a plan's hosts are checked. */
  public TicketSpec scanTicket() {
    return new TicketSpec(Operation.SCAN, null, selector, baselineId, batch, concurrency, suspension, null, null,
        null, null, null, metadataRefresh);
  }

  /** The plan's repair settings over its selector as it stands: to check them when the plan is saved. */
  public TicketSpec repairTicket() {
    return repairTicket(null, selector);
  }

  /** The repair an {@code afterScan: REPAIR} run starts once its scan ended: these hosts, the plan's repair settings. */
  public TicketSpec repairAfterScan(java.util.List<Long> hostIds) {
    return repairTicket(hostIds, null);
  }

  private TicketSpec repairTicket(java.util.List<Long> hostIds, TicketSpec.Selector hosts) {
    return new TicketSpec(Operation.REPAIR, hostIds, hosts, baselineId, batch, concurrency, suspension, null,
        rebootOption, rebootTimeoutSeconds, null, null, metadataRefresh, preHook, postHook, maintenanceWindow);
  }
}
