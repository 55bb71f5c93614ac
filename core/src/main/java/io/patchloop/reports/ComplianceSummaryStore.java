package io.patchloop.reports;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.InvalidInputException;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetCounts;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Aggregates the newest reports of all hosts, overall or by OS family or tag value. The summary
 * reads the counts {@link FleetCounts} keeps as reports are written (hosts per status, patches per
 * state and level, by OS family and tag value) and counts only the hosts themselves, so it costs
 * the same with 100 hosts or 100,000. The history's daily snapshots, split by baseline too, group
 * the reports themselves ({@link #aggregate}): two GROUP BY queries, one over hosts and their
 * report status, one over each report's patch counts by state and level (report_level_counts).
 */
@Repository
public class ComplianceSummaryStore {

  /** The same rule as a host's tag keys. */
  private static final Pattern TAG_KEY = io.patchloop.hosts.HostSpec.TAG_KEY;

  private static final String TAG_PREFIX = "tag:";

  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate snapshot;

  public ComplianceSummaryStore(NamedParameterJdbcTemplate named, PlatformTransactionManager transactionManager) {
    this.named = named;
    // the kept counts and the host counts read in one snapshot, so a host added meanwhile is not
    // counted as unknown before its report is counted too
    this.snapshot = new TransactionTemplate(transactionManager);
    this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.snapshot.setReadOnly(true);
  }

  /**
   * @param groupBy null (or blank) for the overall totals only, {@code os} for one group per OS
   *     family, {@code tag:<key>} for one group per value of that tag
   * @throws InvalidInputException (field {@code groupBy}) for anything else
   */
  public ComplianceSummary summary(String groupBy) {
    Grouping g = grouping(groupBy);
    return snapshot.execute(tx -> keptSummary(g));
  }

  /**
   * The summary from the kept counts: reported hosts and patches per group from fleet_host_counts
   * and the changes not folded yet (one statement), the hosts per group counted from hosts or
   * host_tags; a group's unknown hosts are its hosts less its reported ones. Hosts without the tag
   * are every host less the tagged ones.
   */
  private ComplianceSummary keptSummary(Grouping g) {
    Map<String, Object> params = new HashMap<>(Map.of("status", FleetCounts.HOST_STATUS, "level", FleetCounts.PATCH_LEVEL,
        "all", FleetCounts.ALL_HOSTS, "allLevels", FleetCounts.ALL_HOSTS + "|%"));
    String where = " WHERE (subject_kind = :status AND subject_id = :all) OR (subject_kind = :level AND subject_id LIKE :allLevels)";
    if (g.tagKey != null) {
      // a tag key's letters include '_', which LIKE reads as any character
      params.put("tagged", FleetCounts.tagGroup(g.tagKey.replace("_", "\\_"), "") + "%");
      where += " OR (subject_kind IN (:status, :level) AND subject_id LIKE :tagged)";
    }
    Counts overall = new Counts();
    Map<String, Counts> groups = new TreeMap<>(ComplianceSummaryStore::groupOrder);
    named.query("SELECT subject_kind, subject_id, os_family, state, hosts FROM fleet_host_counts" + where
            + " UNION ALL SELECT subject_kind, subject_id, os_family, state, delta FROM fleet_count_changes" + where,
        params,
        rs -> {
          boolean hostStatus = rs.getString(1).equals(FleetCounts.HOST_STATUS);
          String subject = rs.getString(2);
          int bar = hostStatus ? subject.length() : subject.lastIndexOf('|');
          String group = subject.substring(0, bar);
          Counts counts;
          if (group.equals(FleetCounts.ALL_HOSTS)) {
            counts = overall;
            if (g == Grouping.OS) {
              add(groups.computeIfAbsent(rs.getString(3), k -> new Counts()), hostStatus, subject, bar, rs);
            }
          } else {
            counts = groups.computeIfAbsent(group.substring(group.indexOf('=') + 1), k -> new Counts());
          }
          add(counts, hostStatus, subject, bar, rs);
        });
    overall.hosts = named.queryForObject("SELECT COUNT(*) FROM hosts", Map.of(), Long.class);
    Map<String, Long> hostsByGroup = new HashMap<>();
    if (g == Grouping.OS) {
      named.query("SELECT os_family, COUNT(*) FROM hosts GROUP BY os_family", Map.of(),
          rs -> {
            hostsByGroup.put(rs.getString(1), rs.getLong(2));
          });
    } else if (g.tagKey != null) {
      named.query("SELECT tag_value, COUNT(*) FROM host_tags WHERE tag_key = :key GROUP BY tag_value",
          Map.of("key", g.tagKey), rs -> {
            hostsByGroup.put(rs.getString(1), rs.getLong(2));
          });
      long tagged = hostsByGroup.values().stream().mapToLong(Long::longValue).sum();
      if (overall.hosts > tagged) {
        Counts untagged = new Counts();
        untagged.add(overall);
        groups.values().forEach(untagged::subtract);
        groups.put(ComplianceSummary.NO_TAG, untagged);
        hostsByGroup.put(ComplianceSummary.NO_TAG, overall.hosts - tagged);
      }
    }
    overall.unknown = overall.hosts - overall.reported;
    Map<String, ComplianceSummary.Totals> byGroup = new LinkedHashMap<>();
    if (g.expression != null) {
      hostsByGroup.keySet().forEach(k -> groups.computeIfAbsent(k, x -> new Counts()));
      groups.forEach((k, v) -> {
        v.hosts = hostsByGroup.getOrDefault(k, 0L);
        v.unknown = v.hosts - v.reported;
        byGroup.put(k, v.totals());
      });
    }
    return new ComplianceSummary(overall.totals(), Collections.unmodifiableMap(byGroup));
  }

  private static void add(Counts counts, boolean hostStatus, String subject, int bar, ResultSet rs) throws SQLException {
    long n = rs.getLong(5);
    if (hostStatus) {
      counts.addReported(rs.getString(4), n);
    } else {
      String level = subject.substring(bar + 1);
      counts.addPatches(rs.getString(4), level.isEmpty() ? null : level, n);
    }
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
    /** Hosts with a report, in any status (the kept counts' hosts); the others are unknown. */
    long reported;
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

    void addReported(String status, long n) {
      reported += n;
      if (status.equals(ComplianceStatus.COMPLIANT.name())) {
        compliant += n;
      } else if (status.equals(ComplianceStatus.NON_COMPLIANT.name())) {
        nonCompliant += n;
      }
    }

    /** Takes another group's reported hosts and patches away (the hosts without a tag: all less the tagged). */
    void subtract(Counts other) {
      reported -= other.reported;
      compliant -= other.compliant;
      nonCompliant -= other.nonCompliant;
      other.byState.forEach((state, n) -> byState.merge(state, -n, Long::sum));
      other.byLevel.forEach((level, states) -> states.forEach((state, n) ->
          byLevel.computeIfAbsent(level, l -> zeroStates()).merge(state, -n, Long::sum)));
    }

    void add(Counts other) {
      addHosts(other.hosts, other.compliant, other.nonCompliant, other.unknown);
      reported += other.reported;
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
