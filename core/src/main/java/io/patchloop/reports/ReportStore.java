package io.patchloop.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.JsonText;
import io.patchloop.common.SqlConstants;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetCounts;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The newest report of each host: replaced whole, with its patches, in one transaction, so nobody ever reads half of one. */
@Repository
public class ReportStore {


  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final FleetCounts fleetCounts;

  public ReportStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, FleetCounts fleetCounts) {
    this.jdbc = jdbc;
    this.fleetCounts = fleetCounts;
    this.transactions = new TransactionTemplate(transactionManager);
    this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  public void replace(long hostId, long baselineId, String ticketId, String operation, Instant scannedAt,
      HostInventory inventory, HostCompliance compliance) {
    replace(hostId, baselineId, ticketId, operation, scannedAt, inventory, compliance, Map.of(), List.of());
  }

  /**
   * @param failureMessages advisory id to why its newest repair failed; kept on the FAILED patches
   * @param warnings what the report carries besides its states (STALE_METADATA)
   */
  public void replace(long hostId, long baselineId, String ticketId, String operation, Instant scannedAt,
      HostInventory inventory, HostCompliance compliance, Map<String, String> failureMessages,
      List<ReportWarning> warnings) {
    // Concurrent scans write the reports of neighbouring hosts. Under REPEATABLE READ, deleting rows
    // that are not there yet takes gap locks, and the inserts that follow deadlock on each other's
    // gaps; READ COMMITTED takes no such locks. Should InnoDB still pick a deadlock victim, it is
    // rolled back whole, so it is tried again.
    for (int attempt = 1; ; attempt++) {
      try {
        transactions.executeWithoutResult(tx -> write(hostId, baselineId, ticketId, operation, scannedAt, inventory,
            compliance, failureMessages, warnings));
        return;
      } catch (PessimisticLockingFailureException deadlock) {
        if (attempt >= 5) {
          throw deadlock;
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(5, 50L * attempt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw deadlock;
        }
      }
    }
  }

  private void write(long hostId, long baselineId, String ticketId, String operation, Instant scannedAt,
      HostInventory inventory, HostCompliance compliance, Map<String, String> failureMessages,
      List<ReportWarning> warnings) {
    fleetCounts.holdForReportWrite();
    // no FOR UPDATE: on a host's first report it would take a gap lock that concurrent first reports
    // of other hosts deadlock on; one host's reports are written one at a time anyway (one step per host)
    String previous = jdbc.sql("SELECT status FROM compliance_reports WHERE host_id = ?").param(hostId)
        .query(String.class).optional().orElse(null);
    FleetCounts.CountedReport before = previous == null ? FleetCounts.CountedReport.NONE : fleetCounts.countedReport(hostId);
    String osFamily = jdbc.sql("SELECT os_family FROM hosts WHERE id = ?").param(hostId).query(String.class).single();
    jdbc.sql("DELETE FROM compliance_reports WHERE host_id = ?").param(hostId).update();
    Map<PatchState, Integer> c = compliance.countsByState();
    jdbc.sql("INSERT INTO compliance_reports (host_id, baseline_id, ticket_id, operation, scanned_at, status, os_family,"
            + " previous_status, os_release, running_kernel, installed_count, installed_other_count, pending_reboot_count,"
            + " installed_rejected_count, missing_count, failed_count, metadata_age_seconds, warnings)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(hostId, baselineId, ticketId, operation, Timestamp.from(scannedAt), compliance.status().name(), osFamily,
            previous,
            fitted(inventory.product()), fitted(inventory.runningKernel()), c.get(PatchState.INSTALLED),
            c.get(PatchState.INSTALLED_OTHER),
            c.get(PatchState.INSTALLED_PENDING_REBOOT), c.get(PatchState.INSTALLED_REJECTED), c.get(PatchState.MISSING),
            c.get(PatchState.FAILED), inventory.metadataAgeSeconds(), warnings.isEmpty() ? null : json(warnings))
        .update();
    List<FleetCounts.CountedPatch> counted = new ArrayList<>(compliance.patches().size());
    for (PatchCompliance p : compliance.patches()) {
      var a = p.advisory();
      counted.add(new FleetCounts.CountedPatch(a.id(), p.state(), a.cves() == null ? List.of() : a.cves(), a.severity().name(),
          a.category() == null ? "UNSPECIFIED" : a.category().name(), a.issued(), a.rebootSuggested()));
      List<HostReport.Package> packages = p.packages().stream()
          .map(s -> new HostReport.Package(s.name(), s.arch(), s.installed() == null ? null : s.installed().toString(),
              s.fixed().toString()))
          .toList();
      jdbc.sql("INSERT INTO report_patches (host_id, advisory_id, state, compliance_level, severity, category, issued_at,"
              + " reboot_suggested, cves, packages, failure_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(hostId, a.id(), p.state().name(), p.level() == null ? null : p.level().name(), a.severity().name(),
              a.category() == null ? "UNSPECIFIED" : a.category().name(),
              a.issued() == null ? null : Timestamp.from(a.issued()), a.rebootSuggested(), json(a.cves()), json(packages),
              p.state() == PatchState.FAILED ? HostDataLimits.message(failureMessages.get(a.id())) : null)
          .update();
    }
    writeLevelCounts(hostId, compliance);
    fleetCounts.recordReplacement(before, new FleetCounts.CountedReport(osFamily, counted));
  }

  /** The report's patches counted by state and level, for the summaries (see V12__report_level_counts.sql). */
  private void writeLevelCounts(long hostId, HostCompliance compliance) {
    Map<String, Integer> counts = new TreeMap<>();
    for (PatchCompliance p : compliance.patches()) {
      counts.merge(p.state().name() + "|" + (p.level() == null ? "" : p.level().name()), 1, Integer::sum);
    }
    counts.forEach((key, n) -> {
      int bar = key.indexOf('|');
      jdbc.sql("INSERT INTO report_level_counts (host_id, state, compliance_level, patches) VALUES (?, ?, ?, ?)")
          .params(hostId, key.substring(0, bar), key.substring(bar + 1), n)
          .update();
    });
  }

  /**
   * Advisories the host's newest report marks FAILED, with why: they stay FAILED, with the same
   * message, until a repair succeeds or tries again.
   */
  public Map<String, String> failedAdvisories(long hostId) {
    Map<String, String> failed = new LinkedHashMap<>();
    jdbc.sql("SELECT advisory_id, failure_message FROM report_patches WHERE host_id = ? AND state = ?")
        .params(hostId, PatchState.FAILED.name())
        .query((rs, n) -> failed.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2)))
        .list();
    return failed;
  }

  /**
   * A non-compliant patch of a host whose newest report a ticket made.
   *
   * @param previousStatus the status of the report this one replaced: null when it is the host's first
   */
  public record TicketPatchRow(long hostId, String hostName, String previousStatus, String advisoryId, String state,
      String complianceLevel) {}

  /** The states a report counts against compliance, as an SQL list of constants we wrote ourselves. */
  private static final String NON_COMPLIANT_STATES =
      SqlConstants.inList(Arrays.stream(PatchState.values()).filter(s -> !s.compliant()));

  /** The non-compliant patches in the reports the ticket left (MISSING, FAILED, pending reboot, rejected). */
  public List<TicketPatchRow> nonCompliantPatchesOf(String ticketId) {
    return jdbc.sql("SELECT r.host_id, h.name, r.previous_status, p.advisory_id, p.state, p.compliance_level"
            + " FROM compliance_reports r JOIN hosts h ON h.id = r.host_id JOIN report_patches p ON p.host_id = r.host_id"
            + " WHERE r.ticket_id = ? AND r.status = ? AND p.state IN " + NON_COMPLIANT_STATES
            + " ORDER BY r.host_id, p.advisory_id")
        .params(ticketId, ComplianceStatus.NON_COMPLIANT.name())
        .query((rs, n) -> new TicketPatchRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6)))
        .list();
  }

  /** Hosts of one baseline in one compliance status (their newest reports), for the operators' gauge. */
  public record BaselineStatusCount(String baseline, String status, long count) {}

  /** Hosts by baseline name and the status of their newest report (an index walk of ix_reports_baseline_status). */
  public List<BaselineStatusCount> countByBaselineAndStatus() {
    return jdbc.sql("SELECT b.name, r.status, COUNT(*) AS n FROM compliance_reports r"
            + " JOIN baselines b ON b.id = r.baseline_id GROUP BY b.name, r.status")
        .query((rs, i) -> new BaselineStatusCount(rs.getString("name"), rs.getString("status"), rs.getLong("n")))
        .list();
  }

  /** The baseline of each given host's newest report; hosts without a report are absent. */
  public Map<Long, Long> reportBaselines(Collection<Long> hostIds) {
    Map<Long, Long> found = new HashMap<>();
    List<Long> ids = List.copyOf(hostIds);
    for (int i = 0; i < ids.size(); i += 1000) {
      List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 1000));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
      jdbc.sql("SELECT host_id, baseline_id FROM compliance_reports WHERE host_id IN (" + marks + ")")
          .params(chunk)
          .query((rs, n) -> found.put(rs.getLong(1), rs.getLong(2)))
          .list();
    }
    return found;
  }

  public Optional<HostReport> newest(long hostId) {
    return jdbc.sql("SELECT r.*, b.name AS baseline_name FROM compliance_reports r"
            + " LEFT JOIN baselines b ON b.id = r.baseline_id WHERE r.host_id = ?")
        .param(hostId)
        .query((rs, n) -> {
          Map<PatchState, Integer> byState = new EnumMap<>(PatchState.class);
          byState.put(PatchState.INSTALLED, rs.getInt("installed_count"));
          byState.put(PatchState.INSTALLED_OTHER, rs.getInt("installed_other_count"));
          byState.put(PatchState.INSTALLED_PENDING_REBOOT, rs.getInt("pending_reboot_count"));
          byState.put(PatchState.INSTALLED_REJECTED, rs.getInt("installed_rejected_count"));
          byState.put(PatchState.MISSING, rs.getInt("missing_count"));
          byState.put(PatchState.FAILED, rs.getInt("failed_count"));
          Long age = rs.getObject("metadata_age_seconds", Long.class);
          String warnings = rs.getString("warnings");
          return new HostReport(hostId, rs.getLong("baseline_id"), rs.getString("baseline_name"), rs.getString("ticket_id"),
              rs.getString("operation"), rs.getTimestamp("scanned_at").toInstant(), ComplianceStatus.valueOf(rs.getString("status")),
              rs.getString("os_release"), rs.getString("running_kernel"), age,
              warnings == null ? List.of() : JsonText.read(warnings, new TypeReference<List<ReportWarning>>() {}, "compliance_reports"),
              byState, Map.of(), List.of());
        })
        .optional()
        .map(r -> withPatches(r, patches(hostId)));
  }

  private List<HostReport.Patch> patches(long hostId) {
    return jdbc.sql("SELECT * FROM report_patches WHERE host_id = ? ORDER BY advisory_id").param(hostId)
        .query((rs, n) -> {
          Timestamp issued = rs.getTimestamp("issued_at");
          return new HostReport.Patch(rs.getString("advisory_id"), PatchState.valueOf(rs.getString("state")), rs.getString("compliance_level"),
              rs.getString("severity"), rs.getString("category"), issued == null ? null : issued.toInstant(),
              rs.getBoolean("reboot_suggested"), read(rs.getString("cves"), new TypeReference<List<String>>() {}),
              read(rs.getString("packages"), new TypeReference<List<HostReport.Package>>() {}),
              rs.getString("failure_message"));
        })
        .list();
  }

  private static HostReport withPatches(HostReport r, List<HostReport.Patch> patches) {
    Map<ComplianceLevel, Map<PatchState, Integer>> byLevel = new EnumMap<>(ComplianceLevel.class);
    for (ComplianceLevel level : ComplianceLevel.values()) {
      Map<PatchState, Integer> counts = new EnumMap<>(PatchState.class);
      for (PatchState s : PatchState.values()) {
        counts.put(s, 0);
      }
      byLevel.put(level, counts);
    }
    for (var p : patches) {
      if (p.complianceLevel() != null) {
        byLevel.get(ComplianceLevel.valueOf(p.complianceLevel())).merge(p.state(), 1, Integer::sum);
      }
    }
    return new HostReport(r.hostId(), r.baselineId(), r.baselineName(), r.ticketId(), r.operation(), r.scannedAt(),
        r.status(), r.osRelease(), r.runningKernel(), r.metadataAgeSeconds(), r.warnings(), r.countsByState(), byLevel,
        new ArrayList<>(patches));
  }

  private static String json(Object value) {
    return JsonText.write(value);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    return JsonText.read(json, type, "report_patches");
  }


  /**
   * A host's own words cut to the column, marked as cut: an unknown OS's long NAME or a custom
   * kernel's release would otherwise fail the report's write ("Data too long") and the host with it.
   */
  static String fitted(String hostText) {
    return HostDataLimits.hostText(hostText, HostDataLimits.MAX_HOST_NAME_TEXT);
  }
}
