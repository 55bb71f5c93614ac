package io.patchloop.reports;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.InvalidInputException;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.PatchState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Aggregates the newest reports of all hosts, overall or by OS family or tag value. Two GROUP BY
 * queries, one over hosts and their report status, one over each report's patch counts by state
 * and level (report_level_counts, a few rows per host, written with the report), whatever the
 * size of the fleet.
 */
@Repository
public class ComplianceSummaryStore {

  /** The same rule as a host's tag keys. */
  private static final Pattern TAG_KEY = io.patchloop.hosts.HostSpec.TAG_KEY;

  private static final String TAG_PREFIX = "tag:";

  private final NamedParameterJdbcTemplate named;

  public ComplianceSummaryStore(NamedParameterJdbcTemplate named) {
    this.named = named;
  }

  /**
   * @param groupBy null (or blank) for the overall totals only, {@code os} for one group per OS
   *     family, {@code tag:<key>} for one group per value of that tag
   * @throws InvalidInputException (field {@code groupBy}) for anything else
   */
  public ComplianceSummary summary(String groupBy) {
    Grouping g = grouping(groupBy);
    Counts overall = new Counts();
    Map<String, Counts> groups = new TreeMap<>(ComplianceSummaryStore::groupOrder);
    aggregate(g, false).forEach((cell, counts) -> {
      overall.add(counts);
      if (g.expression != null) {
        groups.computeIfAbsent(cell.group(), k -> new Counts()).add(counts);
      }
    });
    Map<String, ComplianceSummary.Totals> byGroup = new LinkedHashMap<>();
    groups.forEach((k, v) -> byGroup.put(k, v.totals()));
    return new ComplianceSummary(overall.totals(), Collections.unmodifiableMap(byGroup));
  }

  /** One aggregated cell: the baseline (null when not split by baseline) and the group (null when not grouped). */
  record Cell(Long baselineId, String group) {}

  /**
   * The one query path of the summary and of the history's snapshots: two GROUP BY queries over
   * the newest reports, by group and, with {@code perBaseline}, by baseline too. Split by baseline,
   * a host counts under the baseline of its newest report; a host never scanned counts (unknown)
   * under the default baseline of its OS family, and not at all when its OS has no default.
   * Public only so that Spring's proxy of this repository passes the call on; its types are this
   * package's own.
   */
  public Map<Cell, Counts> aggregate(Grouping g, boolean perBaseline) {
    Map<String, Object> params = new HashMap<>(Map.of("compliant", ComplianceStatus.COMPLIANT.name(),
        "nonCompliant", ComplianceStatus.NON_COMPLIANT.name()));
    if (g.tagKey != null) {
      params.put("tagKey", g.tagKey);
    }
    String from = " FROM hosts h" + (g.tagKey == null ? ""
        : " LEFT JOIN host_tags t ON t.host_id = h.id AND t.tag_key = :tagKey");
    String hostBaseline = perBaseline ? "COALESCE(r.baseline_id, d.id)" : "NULL";
    String groupHosts = groupBy(perBaseline ? "baseline" : null, g.expression);
    String groupPatches = " GROUP BY " + (perBaseline ? "r.baseline_id, " : "")
        + (g.expression == null ? "" : g.expression + ", ") + "p.state, p.compliance_level";

    Map<Cell, Counts> cells = new LinkedHashMap<>();
    named.query("SELECT " + hostBaseline + " AS baseline, " + g.select() + " AS grp, COUNT(*) AS hosts,"
            + " COALESCE(SUM(r.status = :compliant), 0) AS compliant,"
            + " COALESCE(SUM(r.status = :nonCompliant), 0) AS non_compliant,"
            + " COALESCE(SUM(r.host_id IS NULL), 0) AS unknown"
            + from + " LEFT JOIN compliance_reports r ON r.host_id = h.id"
            + (perBaseline ? " LEFT JOIN baselines d ON d.default_os = h.os_family"
                + " WHERE COALESCE(r.baseline_id, d.id) IS NOT NULL" : "")
            + groupHosts,
        params,
        rs -> {
          cells.computeIfAbsent(cell(rs, g), k -> new Counts())
              .addHosts(rs.getLong("hosts"), rs.getLong("compliant"), rs.getLong("non_compliant"), rs.getLong("unknown"));
        });
    named.query("SELECT " + (perBaseline ? "r.baseline_id" : "NULL") + " AS baseline, " + g.select() + " AS grp,"
            + " p.state, p.compliance_level, SUM(p.patches) AS patches"
            + from + " JOIN report_level_counts p ON p.host_id = h.id"
            + (perBaseline ? " JOIN compliance_reports r ON r.host_id = h.id" : "") + groupPatches,
        params,
        rs -> {
          String level = rs.getString("compliance_level");
          cells.computeIfAbsent(cell(rs, g), k -> new Counts())
              .addPatches(rs.getString("state"), level.isEmpty() ? null : level, rs.getLong("patches"));
        });
    return cells;
  }

  private static String groupBy(String first, String second) {
    String columns = Stream.of(first, second).filter(Objects::nonNull)
        .collect(Collectors.joining(", "));
    return columns.isEmpty() ? "" : " GROUP BY " + columns;
  }

  private static Cell cell(ResultSet rs, Grouping g) throws SQLException {
    long baseline = rs.getLong("baseline");
    return new Cell(rs.wasNull() ? null : baseline, g.expression == null ? null : g.key(rs.getString("grp")));
  }

  /**
   * The hosts with the most non-compliant patches in their newest report, the most at the highest
   * compliance levels first: CRITICAL, then HIGH, then all levels together.
   */
  public List<WorstHost> worstHosts(int limit) {
    List<String> nonCompliant = Arrays.stream(PatchState.values()).filter(s -> !s.compliant()).map(Enum::name).toList();
    return named.query("SELECT h.id, h.name, h.os_family, SUM(p.patches) AS patches,"
            + " SUM(CASE WHEN p.compliance_level = 'CRITICAL' THEN p.patches ELSE 0 END) AS critical,"
            + " SUM(CASE WHEN p.compliance_level = 'HIGH' THEN p.patches ELSE 0 END) AS high"
            + " FROM report_level_counts p JOIN hosts h ON h.id = p.host_id"
            + " WHERE p.state IN (:states)"
            + " GROUP BY h.id, h.name, h.os_family"
            + " ORDER BY critical DESC, high DESC, patches DESC, h.name LIMIT :limit",
        Map.of("states", nonCompliant, "limit", limit),
        (rs, i) -> new WorstHost(rs.getLong("id"), rs.getString("name"), rs.getString("os_family"),
            rs.getLong("patches"), rs.getLong("critical"), rs.getLong("high")));
  }

  /** A host among the worst: its non-compliant patches, and how many of them are CRITICAL and HIGH. */
  public record WorstHost(long hostId, String name, String osFamily, long nonCompliantPatches, long critical,
      long high) {}

  /** The tag keys hosts carry, in order, for a page to group by. */
  public List<String> tagKeys(int limit) {
    return named.queryForList("SELECT DISTINCT tag_key FROM host_tags ORDER BY tag_key LIMIT :limit",
        Map.of("limit", limit), String.class);
  }

  /** How hosts are grouped: the SQL expression of the group (null: not grouped) and the tag key joined for it. */
  record Grouping(String expression, String tagKey) {

    static final Grouping NONE = new Grouping(null, null);
    static final Grouping OS = new Grouping("h.os_family", null);

    static Grouping tag(String key) {
      return new Grouping("t.tag_value", key);
    }

    String select() {
      return expression == null ? "NULL" : expression;
    }

    String key(String value) {
      return value == null ? ComplianceSummary.NO_TAG : value;
    }
  }

  /**
   * @throws InvalidInputException (field {@code groupBy}) unless null, blank, {@code os} or {@code tag:<key>}
   */
  static Grouping grouping(String groupBy) {
    if (groupBy == null || groupBy.isBlank()) {
      return Grouping.NONE;
    }
    if (groupBy.equals("os")) {
      return Grouping.OS;
    }
    if (groupBy.startsWith(TAG_PREFIX)) {
      String key = groupBy.substring(TAG_PREFIX.length());
      if (TAG_KEY.matcher(key).matches()) {
        return Grouping.tag(key);
      }
      throw new InvalidInputException("groupBy", "tag key must be 1-64 letters, digits or ._/- (starting with a letter or digit)");
    }
    throw new InvalidInputException("groupBy", "must be 'os' or 'tag:<key>'");
  }

  /** Group keys in order, hosts without the tag last. */
  static int groupOrder(String a, String b) {
    boolean noneA = a.equals(ComplianceSummary.NO_TAG);
    boolean noneB = b.equals(ComplianceSummary.NO_TAG);
    return noneA || noneB ? Boolean.compare(noneA, noneB) : a.compareTo(b);
  }

  /** Totals being summed up. */
  static final class Counts {
    long hosts;
    long compliant;
    long nonCompliant;
    long unknown;
    final Map<String, Long> byState = zeroStates();
    final Map<String, Map<String, Long>> byLevel = new LinkedHashMap<>();

    Counts() {
      for (ComplianceLevel level : ComplianceLevel.values()) {
        byLevel.put(level.name(), zeroStates());
      }
    }

    void addHosts(long hosts, long compliant, long nonCompliant, long unknown) {
      this.hosts += hosts;
      this.compliant += compliant;
      this.nonCompliant += nonCompliant;
      this.unknown += unknown;
    }

    void add(Counts other) {
      addHosts(other.hosts, other.compliant, other.nonCompliant, other.unknown);
      other.byState.forEach((state, n) -> byState.merge(state, n, Long::sum));
      other.byLevel.forEach((level, states) -> states.forEach((state, n) ->
          byLevel.computeIfAbsent(level, l -> zeroStates()).merge(state, n, Long::sum)));
    }

    void addPatches(String state, String level, long n) {
      byState.merge(state, n, Long::sum);
      if (level != null) {
        byLevel.computeIfAbsent(level, l -> zeroStates()).merge(state, n, Long::sum);
      }
    }

    ComplianceSummary.Totals totals() {
      Map<String, Map<String, Long>> levels = new LinkedHashMap<>();
      byLevel.forEach((level, states) -> levels.put(level, Collections.unmodifiableMap(new LinkedHashMap<>(states))));
      return new ComplianceSummary.Totals(hosts, compliant, nonCompliant, unknown,
          Collections.unmodifiableMap(new LinkedHashMap<>(byState)), Collections.unmodifiableMap(levels));
    }

    private static Map<String, Long> zeroStates() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (PatchState s : PatchState.values()) {
        m.put(s.name(), 0L);
      }
      return m;
    }
  }
}
