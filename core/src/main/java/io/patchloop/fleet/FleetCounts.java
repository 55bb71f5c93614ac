package io.patchloop.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.common.JsonText;
import io.patchloop.common.MultiRowInsert;
import io.patchloop.compliance.PatchState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hosts per advisory and per CVE, by OS family and patch state, kept as the reports change (see
 * V18__fleet_views.sql for why they are kept and how). A report write records what it changed
 * ({@link #recordReplacement}); {@link #fold} moves the changes into the totals; {@link #rebuild}
 * counts everything again from the reports.
 */
@Component
public class FleetCounts {

  private static final Logger log = LoggerFactory.getLogger(FleetCounts.class);

  static final String ADVISORY = "A";
  static final String CVE = "C";
  /** An advisory's patches that list a CVE (subject {@link #pair}): one CVE's page of host patches counts these. */
  static final String ADVISORY_CVE = "P";
  /**
   * Hosts per report status, for the compliance summary. Subject: the group, {@link #ALL_HOSTS} or
   * {@code key=value} for each of the host's tags; state: the report's ComplianceStatus.
   */
  public static final String HOST_STATUS = "S";
  /**
   * Patches (not hosts) per state and compliance level, for the compliance summary. Subject: the
   * group, {@code |}, the level (empty for none); state: the PatchState.
   */
  public static final String PATCH_LEVEL = "L";
  /** The group every reported host counts in; a tag's group is {@code key=value} (a tag key has no '='). */
  public static final String ALL_HOSTS = "";

  /** Changes folded in one transaction at most, so a fold never holds its locks for long. */
  static final int FOLD_BATCH = 20_000;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transactions;

  public FleetCounts(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.template = template;
    this.transactions = new TransactionTemplate(transactionManager);
    this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  /** A patch as the counts see it, with what the advisory views show of its advisory. */
  public record CountedPatch(String advisoryId, PatchState state, String complianceLevel, List<String> cves,
      String severity, String category, Instant issuedAt, boolean rebootSuggested) {}

  /**
   * A host's newest report as counted: the OS family it was counted under, its status, the host's
   * tags (the summary's groups) and its patches; {@link #NONE} when it has none.
   */
  public record CountedReport(String osFamily, String status, Map<String, String> tags, List<CountedPatch> patches) {

    public static final CountedReport NONE = new CountedReport(null, null, Map.of(), List.of());

    /** The same report counted for a host whose OS family or tags changed. */
    public CountedReport movedTo(String newOsFamily, Map<String, String> newTags) {
      return osFamily == null ? NONE : new CountedReport(newOsFamily, status, Map.copyOf(newTags), patches);
    }
  }

  /**
   * Holds the counts' shared lock until the caller's transaction ends: a rebuild waits for report
   * writes in progress and they wait for it. Call first in a transaction that changes reports.
   */
  public void holdForReportWrite() {
    jdbc.sql("SELECT id FROM fleet_count_locks WHERE id = 1 LOCK IN SHARE MODE").query(Integer.class).single();
  }

  /** The host's newest report as counted, read inside the transaction that is about to replace or remove it. */
  public CountedReport countedReport(long hostId) {
    List<String> report = jdbc.sql("SELECT os_family, status FROM compliance_reports WHERE host_id = ?").param(hostId)
        .query((rs, n) -> List.of(rs.getString(1), rs.getString(2))).optional().orElse(null);
    if (report == null) {
      return CountedReport.NONE;
    }
    List<CountedPatch> patches = jdbc.sql("SELECT advisory_id, state, compliance_level, cves, severity, category,"
            + " issued_at, reboot_suggested FROM report_patches WHERE host_id = ?")
        .param(hostId)
        .query((rs, n) -> countedPatch(rs))
        .list();
    return new CountedReport(report.get(0), report.get(1), tags(hostId), patches);
  }

  /** The host's tags as they are now: the groups its report counts in. */
  public Map<String, String> tags(long hostId) {
    Map<String, String> tags = new TreeMap<>();
    jdbc.sql("SELECT tag_key, tag_value FROM host_tags WHERE host_id = ?").param(hostId)
        .query((rs, n) -> tags.put(rs.getString(1), rs.getString(2)))
        .list();
    return tags;
  }

  /**
   * Records, inside the transaction that replaces a host's report (or removes it: {@code now} is
   * {@link CountedReport#NONE}), how the counts change. A rescan that finds the host as it was
   * writes nothing.
   */
  public void recordReplacement(CountedReport before, CountedReport now) {
    Map<CountKey, Integer> changes = contributions(now);
    contributions(before).forEach((key, n) -> changes.merge(key, -n, Integer::sum));
    changes.values().removeIf(n -> n == 0);
    insertChanges(changes);
    recordAdvisories(before, now);
  }

  /**
   * Removes a host's report from the counts, inside the transaction that deletes the host, after it
   * has locked the host against report writes ({@link #holdForReportWrite} first, then the host's row).
   */
  public void recordRemoval(long hostId) {
    recordReplacement(countedReport(hostId), CountedReport.NONE);
  }

  /**
   * What one report adds to the counts: one host per advisory in its state, one host per CVE in
   * the least compliant state among the report's patches that list it (PatchState's order runs
   * from compliant to least compliant), and one per advisory and CVE it lists, in the patch's state.
   */
  static Map<CountKey, Integer> contributions(CountedReport report) {
    Map<CountKey, Integer> counts = new HashMap<>();
    if (report.osFamily() == null) {
      return counts;
    }
    Map<String, PatchState> worstByCve = new HashMap<>();
    for (CountedPatch p : report.patches()) {
      counts.merge(new CountKey(ADVISORY, p.advisoryId(), report.osFamily(), p.state().name()), 1, Integer::sum);
      for (String cve : new TreeSet<>(p.cves())) {
        worstByCve.merge(cve, p.state(), (a, b) -> a.ordinal() >= b.ordinal() ? a : b);
        counts.merge(new CountKey(ADVISORY_CVE, pair(p.advisoryId(), cve), report.osFamily(), p.state().name()), 1, Integer::sum);
      }
    }
    worstByCve.forEach((cve, state) -> counts.merge(new CountKey(CVE, cve, report.osFamily(), state.name()), 1, Integer::sum));
    Map<String, Integer> byLevel = new HashMap<>();
    for (CountedPatch p : report.patches()) {
      byLevel.merge((p.complianceLevel() == null ? "" : p.complianceLevel()) + "|" + p.state().name(), 1, Integer::sum);
    }
    List<String> groups = new ArrayList<>(1 + report.tags().size());
    groups.add(ALL_HOSTS);
    report.tags().forEach((key, value) -> groups.add(tagGroup(key, value)));
    for (String group : groups) {
      counts.merge(new CountKey(HOST_STATUS, group, report.osFamily(), report.status()), 1, Integer::sum);
      byLevel.forEach((levelAndState, n) -> {
        int bar = levelAndState.indexOf('|');
        counts.merge(new CountKey(PATCH_LEVEL, group + "|" + levelAndState.substring(0, bar), report.osFamily(),
            levelAndState.substring(bar + 1)), n, Integer::sum);
      });
    }
    return counts;
  }

  /** The summary's group of the hosts with this tag value. */
  public static String tagGroup(String key, String value) {
    return key + "=" + value;
  }

  /** The subject of an {@link #ADVISORY_CVE} count (an advisory id has no space). */
  static String pair(String advisoryId, String cve) {
    return advisoryId + " " + cve;
  }

  /** One kept count; its state is a PatchState's name, or for {@link #HOST_STATUS} a ComplianceStatus's. */
  record CountKey(String kind, String subject, String osFamily, String state) implements Comparable<CountKey> {

    @Override
    public int compareTo(CountKey o) {
      int c = kind.compareTo(o.kind);
      c = c != 0 ? c : subject.compareTo(o.subject);
      c = c != 0 ? c : osFamily.compareTo(o.osFamily);
      return c != 0 ? c : state.compareTo(o.state);
    }
  }

  private void insertChanges(Map<CountKey, Integer> changes) {
    if (changes.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(changes.size());
    changes.forEach((k, n) -> rows.add(new Object[] {k.kind(), k.subject(), k.osFamily(), k.state(), n}));
    insertMany("INSERT INTO fleet_count_changes (subject_kind, subject_id, os_family, state, delta) VALUES ", rows);
  }

  /**
   * Keeps the advisory catalogue behind the views: an advisory new to this host is added if no
   * report had listed it, and one whose description changed since the host's previous report is
   * updated. In id order, so two reports adding the same new advisories never deadlock.
   */
  private void recordAdvisories(CountedReport before, CountedReport now) {
    Map<String, CountedPatch> previous = new HashMap<>();
    before.patches().forEach(p -> previous.put(p.advisoryId(), p));
    Map<String, CountedPatch> fresh = new TreeMap<>();
    Map<String, CountedPatch> changed = new TreeMap<>();
    for (CountedPatch p : now.patches()) {
      CountedPatch old = previous.get(p.advisoryId());
      if (old == null) {
        fresh.put(p.advisoryId(), p);
      } else if (!sameDescription(old, p)) {
        changed.put(p.advisoryId(), p);
      }
    }
    if (!fresh.isEmpty()) {
      template.batchUpdate("INSERT IGNORE INTO fleet_advisories (advisory_id, severity, category, issued_at,"
          + " reboot_suggested, cves) VALUES (?, ?, ?, ?, ?, ?)", fresh.values().stream().map(FleetCounts::advisoryRow).toList());
    }
    if (!changed.isEmpty()) {
      template.batchUpdate("UPDATE fleet_advisories SET severity = ?, category = ?, issued_at = ?, reboot_suggested = ?,"
          + " cves = ? WHERE advisory_id = ?", changed.values().stream().map(p -> {
            Object[] row = advisoryRow(p);
            return new Object[] {row[1], row[2], row[3], row[4], row[5], row[0]};
          }).toList());
    }
    TreeSet<List<String>> pairs = new TreeSet<>((a, b) -> a.get(0).equals(b.get(0))
        ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
    for (CountedPatch p : now.patches()) {
      CountedPatch old = previous.get(p.advisoryId());
      for (String cve : p.cves()) {
        if (old == null || !old.cves().contains(cve)) {
          pairs.add(List.of(cve, p.advisoryId()));
        }
      }
    }
    if (!pairs.isEmpty()) {
      template.batchUpdate("INSERT IGNORE INTO fleet_advisory_cves (cve_id, advisory_id) VALUES (?, ?)",
          pairs.stream().map(List::toArray).toList());
    }
  }

  private static boolean sameDescription(CountedPatch a, CountedPatch b) {
    return a.severity().equals(b.severity()) && a.category().equals(b.category())
        && Objects.equals(a.issuedAt(), b.issuedAt()) && a.rebootSuggested() == b.rebootSuggested()
        && a.cves().equals(b.cves());
  }

  private static Object[] advisoryRow(CountedPatch p) {
    return new Object[] {p.advisoryId(), p.severity(), p.category(),
        p.issuedAt() == null ? null : Timestamp.from(p.issuedAt()), p.rebootSuggested(), JsonText.write(p.cves())};
  }

  /**
   * Moves recorded changes into the totals, a batch at a time; counts that fall to zero are
   * removed. Deletes exactly the change rows it read: a report write still in progress has its
   * rows folded by a later call, never lost.
   *
   * @return how many changes it folded
   */
  public int fold() {
    int folded = 0;
    while (true) {
      Integer n = transactions.execute(tx -> foldBatch());
      if (n == null || n == 0) {
        return folded;
      }
      folded += n;
      if (n < FOLD_BATCH) {
        return folded;
      }
    }
  }

  private int foldBatch() {
    jdbc.sql("SELECT id FROM fleet_count_locks WHERE id = 2 FOR UPDATE").query(Integer.class).single();
    List<Long> ids = new ArrayList<>();
    Map<CountKey, Integer> sums = new TreeMap<>();
    jdbc.sql("SELECT id, subject_kind, subject_id, os_family, state, delta FROM fleet_count_changes ORDER BY id LIMIT ?")
        .param(FOLD_BATCH)
        .query(rs -> {
          ids.add(rs.getLong(1));
          sums.merge(new CountKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
              rs.getInt(6), Integer::sum);
        });
    if (ids.isEmpty()) {
      return 0;
    }
    sums.values().removeIf(n -> n == 0);
    writeTotals(sums);
    for (int i = 0; i < ids.size(); i += 1000) {
      List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 1000));
      jdbc.sql("DELETE FROM fleet_count_changes WHERE id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")
          .params(chunk)
          .update();
    }
    return ids.size();
  }

  /** Adds to the totals (in key order, so two folds never deadlock) and drops the ones that reach zero. */
  private void writeTotals(Map<CountKey, Integer> sums) {
    List<Object[]> rows = new ArrayList<>(sums.size());
    sums.forEach((k, n) -> rows.add(new Object[] {k.kind(), k.subject(), k.osFamily(), k.state(), n}));
    template.batchUpdate("INSERT INTO fleet_host_counts (subject_kind, subject_id, os_family, state, hosts)"
        + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE hosts = hosts + VALUES(hosts)", rows);
    template.batchUpdate("DELETE FROM fleet_host_counts WHERE subject_kind = ? AND subject_id = ? AND os_family = ?"
        + " AND state = ? AND hosts = 0", rows.stream().map(r -> new Object[] {r[0], r[1], r[2], r[3]}).toList());
  }

  /** Rebuilds the counts if a migration (or a bulk load of reports) asked for it. */
  public void rebuildIfNeeded() {
    boolean needed = Boolean.TRUE.equals(jdbc.sql("SELECT rebuild_needed FROM fleet_count_locks WHERE id = 1")
        .query(Boolean.class).single());
    if (needed) {
      rebuild();
    }
  }

  /**
   * Counts every host's report again, with the same rule as a report write, and replaces the
   * totals, the pending changes and the advisory catalogue. Report writes wait until it ends.
   * Reads the reports as a stream, one host's patches in memory at a time.
   *
   * @return the reports counted
   */
  public int rebuild() {
    Integer reports = transactions.execute(tx -> {
      Boolean needed = jdbc.sql("SELECT rebuild_needed FROM fleet_count_locks WHERE id = 1 FOR UPDATE")
          .query(Boolean.class).single();
      jdbc.sql("SELECT id FROM fleet_count_locks WHERE id = 2 FOR UPDATE").query(Integer.class).single();
      long started = System.nanoTime();
      Map<CountKey, Integer> totals = new HashMap<>();
      Map<String, CountedPatch> advisories = new TreeMap<>();
      Map<String, TreeSet<String>> cvesByAdvisory = new TreeMap<>();
      int[] hosts = {0};
      long[] current = {-1};
      String[] currentReport = {null, null};
      List<CountedPatch> patches = new ArrayList<>();
      // a few tags per host: held for the whole fleet, so the report rows below can stream alone
      Map<Long, Map<String, String>> tagsByHost = new HashMap<>();
      jdbc.sql("SELECT host_id, tag_key, tag_value FROM host_tags")
          .query(rs -> {
            tagsByHost.computeIfAbsent(rs.getLong(1), h -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
          });
      Runnable flush = () -> {
        if (current[0] >= 0) {
          contributions(new CountedReport(currentReport[0], currentReport[1], tagsByHost.getOrDefault(current[0], Map.of()),
              patches)).forEach((k, n) -> totals.merge(k, n, Integer::sum));
          hosts[0]++;
        }
        patches.clear();
      };
      template.query(con -> {
        // LEFT JOIN: a report without patches still counts in the summary's host counts
        var statement = con.prepareStatement("SELECT r.host_id, r.os_family, r.status, p.advisory_id, p.state,"
            + " p.compliance_level, p.cves, p.severity, p.category, p.issued_at, p.reboot_suggested"
            + " FROM compliance_reports r LEFT JOIN report_patches p ON p.host_id = r.host_id ORDER BY r.host_id",
            java.sql.ResultSet.TYPE_FORWARD_ONLY, java.sql.ResultSet.CONCUR_READ_ONLY);
        // MySQL Connector/J streams a result row by row only for this fetch size (or with useCursorFetch):
        // any other reads all 20 million rows of a large fleet into memory before the first
        statement.setFetchSize(Integer.MIN_VALUE);
        return statement;
      }, rs -> {
        long hostId = rs.getLong(1);
        if (hostId != current[0]) {
          flush.run();
          current[0] = hostId;
          currentReport[0] = rs.getString(2);
          currentReport[1] = rs.getString(3);
        }
        if (rs.getString(4) == null) {
          return;
        }
        CountedPatch p = countedPatch(rs, 4);
        patches.add(p);
        advisories.putIfAbsent(p.advisoryId(), p);
        cvesByAdvisory.computeIfAbsent(p.advisoryId(), a -> new TreeSet<>()).addAll(p.cves());
      });
      flush.run();
      jdbc.sql("DELETE FROM fleet_host_counts").update();
      jdbc.sql("DELETE FROM fleet_count_changes").update();
      jdbc.sql("DELETE FROM fleet_advisory_cves").update();
      jdbc.sql("DELETE FROM fleet_advisories").update();
      List<Object[]> rows = new ArrayList<>(totals.size());
      new TreeMap<>(totals).forEach((k, n) -> rows.add(new Object[] {k.kind(), k.subject(), k.osFamily(), k.state(), n}));
      insertMany("INSERT INTO fleet_host_counts (subject_kind, subject_id, os_family, state, hosts) VALUES ", rows);
      insertMany("INSERT INTO fleet_advisories (advisory_id, severity, category, issued_at, reboot_suggested, cves) VALUES ",
          advisories.values().stream().map(FleetCounts::advisoryRow).toList());
      List<Object[]> pairs = new ArrayList<>();
      cvesByAdvisory.forEach((advisory, cves) -> cves.forEach(cve -> pairs.add(new Object[] {cve, advisory})));
      insertMany("INSERT INTO fleet_advisory_cves (cve_id, advisory_id) VALUES ", pairs);
      jdbc.sql("UPDATE fleet_count_locks SET rebuild_needed = FALSE WHERE id = 1").update();
      log.info("Counted the hosts per advisory and CVE again from {} reports ({} counts, {} advisories) in {} ms{}",
          hosts[0], rows.size(), advisories.size(), (System.nanoTime() - started) / 1_000_000,
          Boolean.TRUE.equals(needed) ? ", as the schema migration asked" : "");
      return hosts[0];
    });
    return reports == null ? 0 : reports;
  }

  private void insertMany(String insertValues, List<Object[]> rows) {
    MultiRowInsert.insert(template, insertValues, rows);
  }

  private static CountedPatch countedPatch(java.sql.ResultSet rs) throws java.sql.SQLException {
    return countedPatch(rs, 1);
  }

  /**
   * Reads advisory_id, state, compliance_level, cves, severity, category, issued_at,
   * reboot_suggested from column {@code first} on.
   */
  private static CountedPatch countedPatch(java.sql.ResultSet rs, int first) throws java.sql.SQLException {
    Timestamp issued = rs.getTimestamp(first + 6);
    List<String> cves = JsonText.read(rs.getString(first + 3), new TypeReference<List<String>>() {}, "report_patches");
    return new CountedPatch(rs.getString(first), PatchState.valueOf(rs.getString(first + 1)), rs.getString(first + 2),
        cves == null ? List.of() : cves,
        rs.getString(first + 4), rs.getString(first + 5), issued == null ? null : issued.toInstant(),
        rs.getBoolean(first + 7));
  }
}
