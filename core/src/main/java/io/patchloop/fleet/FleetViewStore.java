package io.patchloop.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.compliance.PatchState;
import io.patchloop.inventory.SafeValues;
import io.patchloop.reports.HostReport;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The fleet by CVE and by advisory: how many hosts are in each patch state, and which hosts. Without
 * a tag filter the counts come from {@link FleetCounts} (a few rows per subject, whatever the
 * fleet's size); a tag filter counts the report rows of the tagged hosts, since hosts' tags are not
 * part of the kept counts.
 */
@Repository
public class FleetViewStore {

  /** Patch states from the least compliant, as an SQL CASE rank and back (see FleetCounts.contributions). */
  private static final PatchState[] STATES = PatchState.values();

  private final NamedParameterJdbcTemplate named;
  /** Reads rows one at a time, for exports of any size (MySQL Connector/J streams only with this fetch size). */
  private final NamedParameterJdbcTemplate streaming;
  /**
   * Counts the report rows of the hosts a tag filter selects (tags are not part of the kept counts),
   * within {@code patchloop.fleet.tag-filter-timeout}: a tag over a large share of a large fleet
   * reads millions of rows, and is refused with the reason rather than left to run for minutes.
   */
  private final NamedParameterJdbcTemplate tagged;
  private final Duration tagFilterTimeout;

  public FleetViewStore(NamedParameterJdbcTemplate named,
      @Value("${patchloop.fleet.tag-filter-timeout:10s}") Duration tagFilterTimeout) {
    this.named = named;
    this.tagFilterTimeout = tagFilterTimeout;
    javax.sql.DataSource dataSource = named.getJdbcTemplate().getDataSource();
    org.springframework.jdbc.core.JdbcTemplate rowByRow = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
    rowByRow.setFetchSize(Integer.MIN_VALUE);
    this.streaming = new NamedParameterJdbcTemplate(rowByRow);
    org.springframework.jdbc.core.JdbcTemplate bounded = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
    bounded.setQueryTimeout((int) Math.max(1, tagFilterTimeout.toSeconds()));
    this.tagged = new NamedParameterJdbcTemplate(bounded);
  }

  /** Hosts by patch state, every state present (0 where none). */
  public record HostCounts(long hosts, long affectedHosts, Map<PatchState, Long> hostsByState) {

    static HostCounts of(long[] byState) {
      Map<PatchState, Long> m = new LinkedHashMap<>();
      long hosts = 0;
      long affected = 0;
      for (PatchState s : STATES) {
        long n = byState[s.ordinal()];
        m.put(s, n);
        hosts += n;
        affected += s.compliant() ? 0 : n;
      }
      return new HostCounts(hosts, affected, m);
    }
  }

  /**
   * A CVE across the fleet.
   *
   * @param severity the most severe of its advisories' severities
   * @param hosts hosts whose report lists the CVE; each counted once, in the least compliant state
   *     among the patches that list it
   * @param affectedHosts of those, the hosts in a non-compliant state
   */
  public record CveSummary(String cve, PatchSeverity severity, List<String> advisories, long hosts, long affectedHosts,
      Map<PatchState, Long> hostsByState) {}

  /** An advisory across the fleet, described as the reports describe it. */
  public record AdvisorySummary(String advisoryId, PatchSeverity severity, String category, Instant issuedAt,
      boolean rebootSuggested, List<String> cves, long hosts, long affectedHosts, Map<PatchState, Long> hostsByState) {}

  /** One host's patch that lists the CVE or is the advisory: its state and packages, installed and fixed. */
  public record HostPatch(long hostId, String hostName, String osFamily, String advisoryId, PatchState state,
      String complianceLevel, List<HostReport.Package> packages, Instant scannedAt) {}

  public record CveDetail(CveSummary cve, PageResult<HostPatch> hosts) {}

  public record AdvisoryDetail(AdvisorySummary advisory, PageResult<HostPatch> hosts) {}

  private record AdvisoryInfo(String id, PatchSeverity severity, String category, Instant issuedAt, boolean reboot,
      List<String> cves) {}

  // ---- lists ----

  /** CVEs with at least one host, the most affected hosts first (then most hosts, then id). */
  public PageResult<CveSummary> cves(FleetViewQuery query, PageRequest page) {
    return page(cveSummaries(query, null), page);
  }

  /** Every CVE the query selects, in the list's order: for exports. */
  public List<CveSummary> allCves(FleetViewQuery query) {
    return cveSummaries(query, null);
  }

  public PageResult<AdvisorySummary> advisories(FleetViewQuery query, PageRequest page) {
    return page(advisorySummaries(query, null), page);
  }

  public List<AdvisorySummary> allAdvisories(FleetViewQuery query) {
    return advisorySummaries(query, null);
  }

  // ---- one subject ----

  /**
   * @throws InvalidInputException (field {@code id}) for what is not a CVE id
   * @throws NotFoundException when no report lists the CVE (among the hosts the filters select)
   */
  public CveDetail cve(String cve, FleetViewQuery query, PageRequest page) {
    if (!SafeValues.CVE.matcher(cve).matches()) {
      throw new InvalidInputException("id", "must be a CVE id such as CVE-2024-2398");
    }
    CveSummary summary = cveSummaries(query.withState(null), cve).stream().findFirst()
        .orElseThrow(() -> new NotFoundException("CVE", cve + " (no host's report lists it)"));
    return new CveDetail(summary, hostPatches(summary.advisories(), cve, query, page));
  }

  /**
   * @throws InvalidInputException (field {@code id}) for what is not an advisory id
   * @throws NotFoundException when no report lists the advisory (among the hosts the filters select)
   */
  public AdvisoryDetail advisory(String advisoryId, FleetViewQuery query, PageRequest page) {
    if (!SafeValues.ADVISORY_ID.matcher(advisoryId).matches()) {
      throw new InvalidInputException("id", "must be an advisory id: 1-128 letters, digits or . _ : + -");
    }
    AdvisorySummary summary = advisorySummaries(query.withState(null), advisoryId).stream().findFirst()
        .orElseThrow(() -> new NotFoundException("advisory", advisoryId + " (no host's report lists it)"));
    return new AdvisoryDetail(summary, hostPatches(List.of(advisoryId), null, query, page));
  }

  /**
   * Every host patch of the CVE (with the advisories that fix it) or of the one advisory the query
   * selects, read from the database as it is written, advisory by advisory in host order: for
   * exports of any size. Not inside a transaction that queries: the stream holds its connection
   * until the last row.
   */
  public void forEachHostPatch(List<String> advisoryIds, String cve, FleetViewQuery query, Consumer<HostPatch> each) {
    HostPatchSql sql = hostPatchSql(advisoryIds, cve, query);
    // advisory by advisory, each in host order: the order of ix_report_patches_advisory, so nothing is sorted first
    streaming.query(sql.select + sql.where + " ORDER BY p.advisory_id, p.host_id", sql.params,
        rs -> {
          each.accept(hostPatch(rs));
        });
  }

  public List<String> advisoriesOfCve(String cve) {
    return named.queryForList("SELECT advisory_id FROM fleet_advisory_cves WHERE cve_id = :cve ORDER BY advisory_id",
        Map.of("cve", cve), String.class);
  }

  // ---- building the summaries ----

  private List<CveSummary> cveSummaries(FleetViewQuery query, String only) {
    Map<String, long[]> counts = query.tags().isEmpty()
        ? keptCounts(FleetCounts.CVE, query, only)
        : taggedCveCounts(query, only);
    Map<String, AdvisoryInfo> advisories = advisoryInfo();
    Map<String, List<String>> advisoriesByCve = new HashMap<>();
    named.query("SELECT cve_id, advisory_id FROM fleet_advisory_cves" + (only == null ? "" : " WHERE cve_id = :only")
            + " ORDER BY cve_id, advisory_id",
        only == null ? Map.of() : Map.of("only", only),
        rs -> {
          advisoriesByCve.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
    List<CveSummary> out = new ArrayList<>();
    counts.forEach((cve, byState) -> {
      List<String> fixing = advisoriesByCve.getOrDefault(cve, List.of());
      PatchSeverity severity = fixing.stream().map(advisories::get).filter(a -> a != null).map(AdvisoryInfo::severity)
          .min(Comparator.naturalOrder()).orElse(PatchSeverity.NONE);
      HostCounts c = HostCounts.of(byState);
      if (c.hosts() > 0 && query.matchesText(cve) && (query.severity() == null || query.severity() == severity)
          && (query.state() == null || c.hostsByState().get(query.state()) > 0)
          && (query.category() == null || fixing.stream().map(advisories::get)
              .anyMatch(a -> a != null && a.category().equals(query.category().name())))) {
        out.add(new CveSummary(cve, severity, List.copyOf(fixing), c.hosts(), c.affectedHosts(), c.hostsByState()));
      }
    });
    out.sort(Comparator.comparingLong(CveSummary::affectedHosts).reversed()
        .thenComparing(Comparator.comparingLong(CveSummary::hosts).reversed())
        .thenComparing(CveSummary::cve));
    return out;
  }

  private List<AdvisorySummary> advisorySummaries(FleetViewQuery query, String only) {
    Map<String, long[]> counts = query.tags().isEmpty()
        ? keptCounts(FleetCounts.ADVISORY, query, only)
        : taggedAdvisoryCounts(query, only);
    Map<String, AdvisoryInfo> advisories = advisoryInfo();
    List<AdvisorySummary> out = new ArrayList<>();
    counts.forEach((id, byState) -> {
      AdvisoryInfo a = advisories.getOrDefault(id, new AdvisoryInfo(id, PatchSeverity.NONE, "UNSPECIFIED", null, false,
          List.of()));
      HostCounts c = HostCounts.of(byState);
      if (c.hosts() > 0 && query.matchesText(id) && (query.severity() == null || query.severity() == a.severity())
          && (query.category() == null || query.category().name().equals(a.category()))
          && (query.state() == null || c.hostsByState().get(query.state()) > 0)) {
        out.add(new AdvisorySummary(id, a.severity(), a.category(), a.issuedAt(), a.reboot(), a.cves(), c.hosts(),
            c.affectedHosts(), c.hostsByState()));
      }
    });
    out.sort(Comparator.comparingLong(AdvisorySummary::affectedHosts).reversed()
        .thenComparing(Comparator.comparingLong(AdvisorySummary::hosts).reversed())
        .thenComparing(AdvisorySummary::advisoryId));
    return out;
  }

  /**
   * The kept counts plus the changes not folded yet, in one statement: one consistent moment of the
   * reports, however far the fold is behind.
   */
  private Map<String, long[]> keptCounts(String kind, FleetViewQuery query, String only) {
    Map<String, Object> params = new HashMap<>();
    params.put("kind", kind);
    String where = " WHERE subject_kind = :kind";
    if (only != null) {
      where += " AND subject_id = :only";
      params.put("only", only);
    }
    if (query.osFamily() != null) {
      where += " AND os_family = :os";
      params.put("os", query.osFamily().name());
    }
    Map<String, long[]> counts = new TreeMap<>();
    // summed here, not by GROUP BY: MariaDB groups the union in a temporary table, seven times slower
    // than reading its rows (290 ms against 40 ms for 20,000 counts)
    named.query("SELECT subject_id, state, hosts FROM fleet_host_counts" + where
            + " UNION ALL SELECT subject_id, state, delta FROM fleet_count_changes" + where,
        params,
        rs -> {
          counts.computeIfAbsent(rs.getString(1), k -> new long[STATES.length])[PatchState.valueOf(rs.getString(2)).ordinal()] +=
              rs.getLong(3);
        });
    return counts;
  }

  private Map<String, long[]> taggedAdvisoryCounts(FleetViewQuery query, String only) {
    Map<String, Object> params = new HashMap<>();
    String where = reportFilter(query, params);
    if (only != null) {
      where += " AND p.advisory_id = :only";
      params.put("only", only);
    }
    Map<String, long[]> counts = new TreeMap<>();
    String sql = "SELECT p.advisory_id, p.state, COUNT(*) FROM report_patches p"
        + " JOIN compliance_reports r ON r.host_id = p.host_id" + where + " GROUP BY p.advisory_id, p.state";
    withinTagDeadline(() -> tagged.query(sql, params, rs -> {
      counts.computeIfAbsent(rs.getString(1), k -> new long[STATES.length])[PatchState.valueOf(rs.getString(2)).ordinal()] =
          rs.getLong(3);
    }));
    return counts;
  }

  /** The same rule as FleetCounts.contributions, in SQL: each host once per CVE, in its least compliant state. */
  private Map<String, long[]> taggedCveCounts(FleetViewQuery query, String only) {
    Map<String, Object> params = new HashMap<>();
    String where = reportFilter(query, params);
    if (only != null) {
      where += " AND c.cve_id = :only";
      params.put("only", only);
    }
    StringBuilder rank = new StringBuilder("CASE p.state");
    for (PatchState s : STATES) {
      rank.append(" WHEN '").append(s.name()).append("' THEN ").append(s.ordinal());
    }
    rank.append(" END");
    Map<String, long[]> counts = new TreeMap<>();
    String sql = "SELECT cve_id, worst, COUNT(*) FROM (SELECT c.cve_id, p.host_id, MAX(" + rank + ") AS worst"
        + " FROM report_patches p JOIN compliance_reports r ON r.host_id = p.host_id"
        + " JOIN fleet_advisory_cves c ON c.advisory_id = p.advisory_id" + where
        + " AND JSON_CONTAINS(p.cves, JSON_QUOTE(c.cve_id))"
        + " GROUP BY c.cve_id, p.host_id) w GROUP BY cve_id, worst";
    withinTagDeadline(() -> tagged.query(sql, params, rs -> {
      counts.computeIfAbsent(rs.getString(1), k -> new long[STATES.length])[rs.getInt(2)] = rs.getLong(3);
    }));
    return counts;
  }

  /** Runs a query of the tag path, turning its deadline into a refusal that says what to do instead. */
  private <T> T withinTagDeadline(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (QueryTimeoutException e) {
      throw new InvalidInputException("tag", "counting the report rows of the hosts this tag selects took longer than "
          + tagFilterTimeout.toSeconds() + " s (tags are not part of the kept counts); narrow it with osFamily or a"
          + " more specific tag, or export the unfiltered CSV (patchloop.fleet.tag-filter-timeout sets the limit)");
    }
  }

  private void withinTagDeadline(Runnable read) {
    withinTagDeadline(() -> {
      read.run();
      return null;
    });
  }

  /** WHERE over report_patches p and compliance_reports r for the host filters (OS, tags). */
  private static String reportFilter(FleetViewQuery query, Map<String, Object> params) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (query.osFamily() != null) {
      where.append(" AND r.os_family = :os");
      params.put("os", query.osFamily().name());
    }
    int n = 0;
    for (var tag : new TreeMap<>(query.tags()).entrySet()) {
      where.append(" AND EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = p.host_id AND t.tag_key = :tk").append(n)
          .append(" AND t.tag_value = :tv").append(n).append(')');
      params.put("tk" + n, tag.getKey());
      params.put("tv" + n, tag.getValue());
      n++;
    }
    return where.toString();
  }

  private Map<String, AdvisoryInfo> advisoryInfo() {
    Map<String, AdvisoryInfo> m = new HashMap<>();
    named.query("SELECT advisory_id, severity, category, issued_at, reboot_suggested, cves FROM fleet_advisories", Map.of(),
        rs -> {
          Timestamp issued = rs.getTimestamp(4);
          m.put(rs.getString(1), new AdvisoryInfo(rs.getString(1), severity(rs.getString(2)), rs.getString(3),
              issued == null ? null : issued.toInstant(), rs.getBoolean(5), cves(rs.getString(6))));
        });
    return m;
  }

  // ---- host rows ----

  private record HostPatchSql(String select, String where, Map<String, Object> params) {}

  private HostPatchSql hostPatchSql(List<String> advisoryIds, String cve, FleetViewQuery query) {
    Map<String, Object> params = new HashMap<>();
    String where = reportFilter(query, params) + " AND p.advisory_id IN (:advisories)";
    params.put("advisories", advisoryIds.isEmpty() ? List.of("") : advisoryIds);
    if (cve != null) {
      // the catalogue pairs a CVE with every advisory any report listed it under; a host's own report decides
      where += " AND JSON_CONTAINS(p.cves, JSON_QUOTE(:cve))";
      params.put("cve", cve);
    }
    if (query.state() != null) {
      where += " AND p.state = :state";
      params.put("state", query.state().name());
    }
    return new HostPatchSql("SELECT p.host_id, h.name, r.os_family, p.advisory_id, p.state, p.compliance_level,"
        + " p.packages, r.scanned_at FROM report_patches p JOIN compliance_reports r ON r.host_id = p.host_id"
        + " JOIN hosts h ON h.id = p.host_id", where, params);
  }

  private PageResult<HostPatch> hostPatches(List<String> advisoryIds, String cve, FleetViewQuery query, PageRequest page) {
    HostPatchSql sql = hostPatchSql(advisoryIds, cve, query);
    long total = query.tags().isEmpty()
        ? keptTotal(advisoryIds, cve, query)
        : withinTagDeadline(() -> tagged.queryForObject("SELECT COUNT(*) FROM report_patches p JOIN compliance_reports r"
            + " ON r.host_id = p.host_id" + sql.where, sql.params, Long.class));
    Map<String, Object> params = new HashMap<>(sql.params);
    params.put("limit", page.size());
    params.put("offset", page.offset());
    String select;
    if (advisoryIds.size() <= 1) {
      // host order alone (one advisory): with p.advisory_id in the ORDER BY as well, MariaDB joins and
      // sorts all 96,000 hosts of a common advisory (11 s) instead of reading the first 50 in key order
      select = sql.select + sql.where + " ORDER BY p.host_id LIMIT :limit OFFSET :offset";
    } else {
      // one ordered read per advisory, merged: with advisory_id IN (...) MariaDB sorts every row of
      // every advisory (and reads each one's cves) before it can return the first page
      params.put("enough", page.offset() + page.size());
      StringBuilder union = new StringBuilder();
      for (int i = 0; i < advisoryIds.size(); i++) {
        union.append(i == 0 ? "(" : " UNION ALL (").append(sql.select)
            .append(sql.where.replace("p.advisory_id IN (:advisories)", "p.advisory_id = :advisory" + i))
            .append(" ORDER BY p.host_id LIMIT :enough)");
        params.put("advisory" + i, advisoryIds.get(i));
      }
      select = "SELECT * FROM (" + union + ") rows_of_each ORDER BY host_id, advisory_id LIMIT :limit OFFSET :offset";
    }
    String pageSql = select;
    NamedParameterJdbcTemplate reader = query.tags().isEmpty() ? named : tagged;
    List<HostPatch> items = withinTagDeadline(() -> reader.query(pageSql, params, (rs, i) -> hostPatch(rs)));
    return new PageResult<>(items, page.page(), page.size(), total);
  }

  /**
   * The host patches of an advisory (its kept counts) or of a CVE (the kept counts of each of its
   * advisories' patches that list it), in the query's OS and state: the rows the page query selects,
   * without reading them.
   */
  private long keptTotal(List<String> advisoryIds, String cve, FleetViewQuery query) {
    if (advisoryIds.isEmpty()) {
      return 0;
    }
    Map<String, Object> params = new HashMap<>();
    params.put("kind", cve == null ? FleetCounts.ADVISORY : FleetCounts.ADVISORY_CVE);
    params.put("subjects", cve == null ? advisoryIds : advisoryIds.stream().map(a -> FleetCounts.pair(a, cve)).toList());
    String where = " WHERE subject_kind = :kind AND subject_id IN (:subjects)";
    if (query.osFamily() != null) {
      where += " AND os_family = :os";
      params.put("os", query.osFamily().name());
    }
    if (query.state() != null) {
      where += " AND state = :state";
      params.put("state", query.state().name());
    }
    Long total = named.queryForObject("SELECT COALESCE(SUM(n), 0) FROM (SELECT hosts AS n FROM fleet_host_counts" + where
        + " UNION ALL SELECT delta FROM fleet_count_changes" + where + ") c", params, Long.class);
    return total == null ? 0 : total;
  }

  private static HostPatch hostPatch(ResultSet rs) throws SQLException {
    return new HostPatch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        PatchState.valueOf(rs.getString(5)), rs.getString(6),
        JsonText.read(rs.getString(7), new TypeReference<List<HostReport.Package>>() {}, "report_patches"),
        rs.getTimestamp(8).toInstant());
  }

  // ---- helpers ----

  private static <T> PageResult<T> page(List<T> all, PageRequest page) {
    int from = (int) Math.min(all.size(), page.offset());
    int to = Math.min(all.size(), from + page.size());
    return new PageResult<>(List.copyOf(all.subList(from, to)), page.page(), page.size(), all.size());
  }

  private static PatchSeverity severity(String name) {
    try {
      return PatchSeverity.valueOf(name);
    } catch (IllegalArgumentException e) {
      return PatchSeverity.NONE;
    }
  }

  private static List<String> cves(String json) {
    List<String> list = JsonText.read(json, new TypeReference<List<String>>() {}, "fleet_advisories");
    return list == null ? List.of() : List.copyOf(new TreeSet<>(list));
  }
}
