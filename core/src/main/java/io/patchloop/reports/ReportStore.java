package io.patchloop.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.JsonText;
import io.patchloop.common.MultiRowInsert;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The newest report of each host: replaced whole, with its patches, in one transaction, so nobody ever reads half of one. */
@Repository
public class ReportStore {


  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transactions;
  private final FleetCounts fleetCounts;

  public ReportStore(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactionManager,
      FleetCounts fleetCounts) {
    this.jdbc = jdbc;
    this.template = template;
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

  /**
   * Writes what changed since the host's previous report: its header always, and of its patches
   * only the rows that are new, gone or different, many to a statement. A fleet rescan mostly finds
   * hosts as they were, and rewriting every patch row of every host (1,400 for a large host) cost
   * more than the rest of a scan together.
   */
  private void write(long hostId, long baselineId, String ticketId, String operation, Instant scannedAt,
      HostInventory inventory, HostCompliance compliance, Map<String, String> failureMessages,
      List<ReportWarning> warnings) {
    fleetCounts.holdForReportWrite();
    // In share mode: a change of the host's OS family or tags, or its deletion, moves or removes its
    // report in the counts, and waits for this write (HostStore locks the host's row). No FOR UPDATE:
    // one host's reports are written one at a time anyway (one step per host), and under READ
    // COMMITTED a host's first report, absent here, takes no gap lock for others to deadlock on.
    PreviousReport previous = jdbc.sql("SELECT h.os_family, r.status, r.os_family FROM hosts h"
            + " LEFT JOIN compliance_reports r ON r.host_id = h.id WHERE h.id = ? LOCK IN SHARE MODE")
        .param(hostId)
        .query((rs, n) -> new PreviousReport(rs.getString(1), rs.getString(2), rs.getString(3)))
        .single();
    Map<String, PatchRow> before = previous.status() == null ? Map.of() : patchRows(hostId);

    Map<PatchState, Integer> c = compliance.countsByState();
    Object[] header = {baselineId, ticketId, operation, Timestamp.from(scannedAt), compliance.status().name(),
        previous.hostOsFamily(), previous.status(), fitted(inventory.product()), fitted(inventory.runningKernel()),
        c.get(PatchState.INSTALLED), c.get(PatchState.INSTALLED_OTHER), c.get(PatchState.INSTALLED_PENDING_REBOOT),
        c.get(PatchState.INSTALLED_REJECTED), c.get(PatchState.MISSING), c.get(PatchState.FAILED),
        inventory.metadataAgeSeconds(), warnings.isEmpty() ? null : json(warnings), hostId};
    jdbc.sql(previous.status() == null
            ? "INSERT INTO compliance_reports (" + REPORT_COLUMNS + ", host_id) VALUES ("
                + String.join(", ", Collections.nCopies(header.length, "?")) + ")"
            : "UPDATE compliance_reports SET " + String.join(" = ?, ", REPORT_COLUMNS.split(", ")) + " = ? WHERE host_id = ?")
        .params(header)
        .update();

    Map<String, PatchRow> after = new LinkedHashMap<>();
    for (PatchCompliance p : compliance.patches()) {
      after.put(p.advisory().id(), PatchRow.of(p, failureMessages));
    }
    List<String> stale = new ArrayList<>();
    before.forEach((id, row) -> {
      if (!row.equals(after.get(id))) {
        stale.add(id);
      }
    });
    List<Object[]> fresh = new ArrayList<>();
    after.forEach((id, row) -> {
      if (!row.equals(before.get(id))) {
        fresh.add(row.values(hostId));
      }
    });
    // delete, then insert, rather than INSERT ... ON DUPLICATE KEY UPDATE: under READ COMMITTED
    // these take record locks only, where the upsert's duplicate check takes next-key locks that
    // reach into the neighbouring host's rows
    for (int from = 0; from < stale.size(); from += MultiRowInsert.ROWS_PER_STATEMENT) {
      List<String> chunk = stale.subList(from, Math.min(stale.size(), from + MultiRowInsert.ROWS_PER_STATEMENT));
      List<Object> params = new ArrayList<>(chunk.size() + 1);
      params.add(hostId);
      params.addAll(chunk);
      jdbc.sql("DELETE FROM report_patches WHERE host_id = ? AND advisory_id IN ("
              + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")
          .params(params)
          .update();
    }
    if (!fresh.isEmpty()) {
      MultiRowInsert.insert(template, "INSERT INTO report_patches (host_id, advisory_id, state, compliance_level,"
          + " severity, category, issued_at, reboot_suggested, cves, packages, failure_message) VALUES ", fresh);
    }
    writeLevelCounts(hostId, levelCounts(before.values()), levelCounts(after.values()));
    Map<String, String> tags = fleetCounts.tags(hostId);
    fleetCounts.recordReplacement(counted(previous.reportOsFamily(), previous.status(), tags, before.values()),
        counted(previous.hostOsFamily(), compliance.status().name(), tags, after.values()));
  }

  /** The compliance_reports columns a report write sets, in the order of the header's values. */
  private static final String REPORT_COLUMNS = "baseline_id, ticket_id, operation, scanned_at, status, os_family,"
      + " previous_status, os_release, running_kernel, installed_count, installed_other_count, pending_reboot_count,"
      + " installed_rejected_count, missing_count, failed_count, metadata_age_seconds, warnings";

  /** What a report write reads first: the host's OS family now, and its previous report's status and OS family (null: none). */
  private record PreviousReport(String hostOsFamily, String status, String reportOsFamily) {}

  /**
   * A report_patches row as it is stored: two reports' rows that are equal need not be written
   * again. Times are kept in milliseconds, as the column keeps them.
   */
  private record PatchRow(String advisoryId, String state, String level, String severity, String category,
      Long issuedMillis, boolean rebootSuggested, String cves, String packages, String failureMessage) {

    static PatchRow of(PatchCompliance p, Map<String, String> failureMessages) {
      var a = p.advisory();
      List<HostReport.Package> packages = p.packages().stream()
          .map(s -> new HostReport.Package(s.name(), s.arch(), s.installed() == null ? null : s.installed().toString(),
              s.fixed().toString()))
          .toList();
      return new PatchRow(a.id(), p.state().name(), p.level() == null ? null : p.level().name(), a.severity().name(),
          a.category() == null ? "UNSPECIFIED" : a.category().name(),
          a.issued() == null ? null : a.issued().toEpochMilli(), a.rebootSuggested(), json(a.cves()), json(packages),
          p.state() == PatchState.FAILED ? HostDataLimits.message(failureMessages.get(a.id())) : null);
    }

    Object[] values(long hostId) {
      return new Object[] {hostId, advisoryId, state, level, severity, category,
          issuedMillis == null ? null : new Timestamp(issuedMillis), rebootSuggested, cves, packages, failureMessage};
    }

    FleetCounts.CountedPatch counted() {
      List<String> cveList = read(cves, new TypeReference<List<String>>() {});
      return new FleetCounts.CountedPatch(advisoryId, PatchState.valueOf(state), level, cveList == null ? List.of() : cveList,
          severity, category, issuedMillis == null ? null : Instant.ofEpochMilli(issuedMillis), rebootSuggested);
    }
  }

  private Map<String, PatchRow> patchRows(long hostId) {
    Map<String, PatchRow> rows = new HashMap<>();
    jdbc.sql("SELECT advisory_id, state, compliance_level, severity, category, issued_at, reboot_suggested, cves,"
            + " packages, failure_message FROM report_patches WHERE host_id = ?")
        .param(hostId)
        .query((rs, n) -> {
          Timestamp issued = rs.getTimestamp(6);
          return rows.put(rs.getString(1), new PatchRow(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), issued == null ? null : issued.getTime(), rs.getBoolean(7),
              rs.getString(8), rs.getString(9), rs.getString(10)));
        })
        .list();
    return rows;
  }

  private static FleetCounts.CountedReport counted(String osFamily, String status, Map<String, String> tags,
      Collection<PatchRow> rows) {
    if (osFamily == null) {
      return FleetCounts.CountedReport.NONE;
    }
    return new FleetCounts.CountedReport(osFamily, status, tags, rows.stream().map(PatchRow::counted).toList());
  }

  /** The report's patches counted by state and level ({@code state|level}), for the summaries (see V12__report_level_counts.sql). */
  private static Map<String, Integer> levelCounts(Collection<PatchRow> rows) {
    Map<String, Integer> counts = new TreeMap<>();
    for (PatchRow p : rows) {
      counts.merge(p.state() + "|" + (p.level() == null ? "" : p.level()), 1, Integer::sum);
    }
    return counts;
  }

  private void writeLevelCounts(long hostId, Map<String, Integer> before, Map<String, Integer> after) {
    if (before.equals(after)) {
      return;
    }
    if (!before.isEmpty()) {
      jdbc.sql("DELETE FROM report_level_counts WHERE host_id = ?").param(hostId).update();
    }
    List<Object[]> rows = new ArrayList<>();
    after.forEach((key, n) -> {
      int bar = key.indexOf('|');
      rows.add(new Object[] {hostId, key.substring(0, bar), key.substring(bar + 1), n});
    });
    if (!rows.isEmpty()) {
      MultiRowInsert.insert(template, "INSERT INTO report_level_counts (host_id, state, compliance_level, patches) VALUES ",
          rows);
    }
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
