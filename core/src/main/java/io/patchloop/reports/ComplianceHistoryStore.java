package io.patchloop.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.JsonText;
import io.patchloop.reports.ComplianceSummaryStore.Cell;
import io.patchloop.reports.ComplianceSummaryStore.Counts;
import io.patchloop.reports.ComplianceSummaryStore.Grouping;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compliance over time: a daily snapshot of what {@link ComplianceSummaryStore} says of the newest
 * reports, per baseline, kept as rows of compliance_history so a series of days reads a few rows
 * instead of reports that are long replaced.
 *
 * <p>A host counts under the baseline of its newest report. A host never scanned counts as unknown
 * under the default baseline of its OS family; when its OS family has no default baseline it is in
 * no baseline's history. A baseline without hosts that day has no rows that day.
 */
@Repository
public class ComplianceHistoryStore {

  /** The longest series one request reads. */
  public static final int MAX_DAYS = 400;
  /** The series read when no range is given: the last 30 days up to today. */
  public static final int DEFAULT_DAYS = 30;

  static final String ALL = "ALL";
  static final String OS = "OS";
  static final String TAG = "TAG";

  private static final TypeReference<LinkedHashMap<String, Long>> BY_STATE = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Map<String, Long>>> BY_LEVEL = new TypeReference<>() {};

  private final ComplianceSummaryStore summaries;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate consistentRead;
  private final TransactionTemplate write;
  private final Clock clock;

  public ComplianceHistoryStore(ComplianceSummaryStore summaries, NamedParameterJdbcTemplate named,
      PlatformTransactionManager transactions, Clock clock) {
    this.summaries = summaries;
    this.named = named;
    this.clock = clock;
    // every query of a snapshot reads the same moment: reports written meanwhile are in the next one
    this.consistentRead = new TransactionTemplate(transactions);
    consistentRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    consistentRead.setReadOnly(true);
    this.write = new TransactionTemplate(transactions);
  }

  /**
   * Takes the snapshot of {@code day} from the newest reports now, replacing one taken earlier
   * that day: for every baseline, all its hosts, per OS family, and per value of each tag key.
   *
   * @return the rows written, as {@link #series} reads them (group kinds together, ALL first)
   */
  public List<ComplianceHistoryPoint> snapshot(LocalDate day, Instant takenAt, List<String> tagKeys) {
    Map<String, Grouping> groupings = new LinkedHashMap<>();
    groupings.put(ALL + "/", Grouping.NONE);
    groupings.put(OS + "/", Grouping.OS);
    for (String key : tagKeys) {
      groupings.put(TAG + "/" + key, ComplianceSummaryStore.grouping("tag:" + key));
    }
    List<Row> rows = consistentRead.execute(status -> {
      Map<Long, String> names = new HashMap<>();
      named.query("SELECT id, name FROM baselines", Map.of(), rs -> {
        names.put(rs.getLong("id"), rs.getString("name"));
      });
      List<Row> read = new ArrayList<>();
      groupings.forEach((kindAndKey, grouping) -> {
        String kind = kindAndKey.substring(0, kindAndKey.indexOf('/'));
        String key = kindAndKey.substring(kindAndKey.indexOf('/') + 1);
        summaries.aggregate(grouping, true).forEach((cell, counts) -> read.add(row(day, kind, key, cell, counts,
            names.getOrDefault(cell.baselineId(), "#" + cell.baselineId()))));
      });
      return read;
    });
    rows.sort(Comparator.comparing(Row::kindOrder).thenComparing(Row::key).thenComparing(r -> r.point, POINT_ORDER));
    write.executeWithoutResult(status -> {
      named.update("DELETE FROM compliance_history WHERE snapshot_day = :day", Map.of("day", day));
      named.batchUpdate("INSERT INTO compliance_history (snapshot_day, baseline_id, baseline_name, group_kind,"
          + " group_key, group_value, hosts, hosts_compliant, hosts_non_compliant, hosts_unknown, patches_by_state,"
          + " patches_by_level, taken_at) VALUES (:day, :baselineId, :baselineName, :kind, :key, :value, :hosts,"
          + " :compliant, :nonCompliant, :unknown, :byState, :byLevel, :takenAt)",
          rows.stream().map(r -> new MapSqlParameterSource()
              .addValue("day", day)
              .addValue("baselineId", r.point.baselineId())
              .addValue("baselineName", r.point.baselineName())
              .addValue("kind", r.kind)
              .addValue("key", r.key)
              .addValue("value", r.point.group() == null ? "" : r.point.group())
              .addValue("hosts", r.point.hosts())
              .addValue("compliant", r.point.compliant())
              .addValue("nonCompliant", r.point.nonCompliant())
              .addValue("unknown", r.point.unknown())
              .addValue("byState", JsonText.write(r.point.byState()))
              .addValue("byLevel", JsonText.write(r.point.byLevel()))
              .addValue("takenAt", Timestamp.from(takenAt)))
              .toArray(MapSqlParameterSource[]::new));
    });
    return rows.stream().map(Row::point).toList();
  }

  /**
   * The days from {@code from} to {@code to} (both included), by day, then baseline, then group.
   *
   * @param from null: {@value #DEFAULT_DAYS} days before {@code to} (that day included)
   * @param to null: today (UTC)
   * @param baselineId null: every baseline
   * @param groupBy null or blank: all hosts of a baseline; {@code os}; {@code tag:<key>} (days whose
   *     snapshot did not group by that key have no points)
   * @throws InvalidInputException naming from, to, baselineId or groupBy
   */
  public List<ComplianceHistoryPoint> series(LocalDate from, LocalDate to, Long baselineId, String groupBy) {
    Grouping grouping = ComplianceSummaryStore.grouping(groupBy);
    LocalDate last = to != null ? to : LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate first = from != null ? from : last.minusDays(DEFAULT_DAYS - 1);
    if (first.isAfter(last)) {
      throw new InvalidInputException(from != null ? "from" : "to", "must not be after to (" + last + ")");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
      throw new InvalidInputException("from", "the range from " + first + " to " + last + " is more than " + MAX_DAYS
          + " days");
    }
    if (baselineId != null && baselineId < 1) {
      throw new InvalidInputException("baselineId", "must be a baseline id (1 or more)");
    }
    String kind = grouping == Grouping.NONE ? ALL : grouping == Grouping.OS ? OS : TAG;
    String key = grouping.tagKey() == null ? "" : grouping.tagKey();
    MapSqlParameterSource params = new MapSqlParameterSource().addValue("from", first).addValue("to", last)
        .addValue("kind", kind).addValue("key", key).addValue("baselineId", baselineId);
    List<ComplianceHistoryPoint> points = new ArrayList<>(named.query("SELECT * FROM compliance_history"
            + " WHERE snapshot_day BETWEEN :from AND :to AND group_kind = :kind AND group_key = :key"
            + (baselineId == null ? "" : " AND baseline_id = :baselineId"),
        params,
        (rs, i) -> new ComplianceHistoryPoint(rs.getObject("snapshot_day", LocalDate.class), rs.getLong("baseline_id"),
            rs.getString("baseline_name"), kind.equals(ALL) ? null : rs.getString("group_value"), rs.getLong("hosts"),
            rs.getLong("hosts_compliant"), rs.getLong("hosts_non_compliant"), rs.getLong("hosts_unknown"),
            JsonText.read(rs.getString("patches_by_state"), BY_STATE, "compliance_history.patches_by_state"),
            JsonText.read(rs.getString("patches_by_level"), BY_LEVEL, "compliance_history.patches_by_level"))));
    points.sort(Comparator.comparing(ComplianceHistoryPoint::day).thenComparing(POINT_ORDER));
    return List.copyOf(points);
  }

  /** Deletes the snapshots of the days before {@code day} (retention). @return the rows deleted */
  public int deleteOlderThan(LocalDate day) {
    return named.update("DELETE FROM compliance_history WHERE snapshot_day < :day", Map.of("day", day));
  }

  /** Within a day: by baseline, then by group as the summary orders them (hosts without the tag last). */
  private static final Comparator<ComplianceHistoryPoint> POINT_ORDER = Comparator
      .comparingLong(ComplianceHistoryPoint::baselineId)
      .thenComparing(ComplianceHistoryPoint::group, Comparator.nullsFirst(ComplianceSummaryStore::groupOrder));

  private static Row row(LocalDate day, String kind, String key, Cell cell, Counts counts, String baselineName) {
    ComplianceSummary.Totals t = counts.totals();
    return new Row(kind, key, new ComplianceHistoryPoint(day, cell.baselineId(), baselineName, cell.group(), t.hosts(),
        t.compliant(), t.nonCompliant(), t.unknown(), t.patchesByState(), t.patchesByLevel()));
  }

  /** A point with the grouping it belongs to. */
  private record Row(String kind, String key, ComplianceHistoryPoint point) {
    int kindOrder() {
      return List.of(ALL, OS, TAG).indexOf(kind);
    }
  }
}
