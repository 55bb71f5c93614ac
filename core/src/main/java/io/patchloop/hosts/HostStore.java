package io.patchloop.hosts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetCounts;
import io.patchloop.credentials.Credential;
import io.patchloop.credentials.CredentialStore;
import io.patchloop.workflows.host.HostErrorKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Hosts and their tags in MySQL. Every write validates the whole spec first and writes all or nothing. */
@Repository
public class HostStore {

  private static final String SELECT =
      "SELECT h.id, h.name, h.address, h.port, h.username, h.key_path, c.name AS credential_name,"
          + " h.os_family, h.scenario, h.created_at, h.updated_at, r.status AS report_status, r.scanned_at,"
          + " h.last_error_kind, h.last_error_message, h.last_error_at,"
          + " h.access, h.agent_version, h.agent_facts, h.agent_started_at, h.agent_last_seen"
          + " FROM hosts h LEFT JOIN credentials c ON c.id = h.credential_id"
          + " LEFT JOIN compliance_reports r ON r.host_id = h.id";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;
  private final CredentialStore credentials;
  private final Clock clock;
  private final AgentProperties agents;
  private final FleetCounts fleetCounts;
  private final NamedParameterJdbcTemplate streaming;

  public HostStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, CredentialStore credentials, Clock clock,
      AgentProperties agents, FleetCounts fleetCounts) {
    this.jdbc = jdbc;
    this.fleetCounts = fleetCounts;
    this.named = named;
    this.credentials = credentials;
    this.clock = clock;
    this.agents = agents;
    JdbcTemplate rowByRow = new JdbcTemplate(named.getJdbcTemplate().getDataSource());
    rowByRow.setFetchSize(STREAM_ROW_BY_ROW);
    this.streaming = new NamedParameterJdbcTemplate(rowByRow);
  }

  @Transactional
  public Host create(HostSpec raw) {
    HostSpec spec = raw.withDefaults();
    Long credentialId = checked(spec, new Problems(), "Invalid host");
    long id = insert(spec, credentialId);
    return get(id);
  }

  /**
   * Imports many hosts at once: every row is checked (fields, stored credentials, names unique in
   * the batch and against the store) before the first insert, and any problem rejects the whole
   * batch, so an import never leaves half a fleet behind.
   *
   * @param rowLabel how a row is named in errors: {@code [3]} for a JSON array, {@code line 5} for CSV
   */
  @Transactional
  public List<Host> importAll(List<HostSpec> rows, IntFunction<String> rowLabel) {
    return importAll(rows, rowLabel, List.of());
  }

  /** As {@link #importAll(List, IntFunction)}, reporting {@code earlierProblems} (found while parsing) with the rest. */
  @Transactional
  public List<Host> importAll(List<HostSpec> rows, IntFunction<String> rowLabel, List<FieldProblem> earlierProblems) {
    Problems problems = Problems.startingWith(earlierProblems);
    List<HostSpec> specs = new ArrayList<>(rows.size());
    List<Long> credentialIds = new ArrayList<>(rows.size());
    Map<String, Integer> firstRowByName = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      HostSpec spec = rows.get(i).withDefaults();
      Problems rowProblems = problems.nested(rowLabel.apply(i));
      specs.add(spec);
      credentialIds.add(resolveCredential(spec, rowProblems));
      spec.validate(rowProblems);
      if (spec.name() != null) {
        Integer earlier = firstRowByName.putIfAbsent(spec.name(), i);
        if (earlier != null) {
          rowProblems.add("name", "'" + spec.name() + "' is also the name of row " + rowLabel.apply(earlier));
        }
      }
    }
    if (!firstRowByName.isEmpty()) {
      Set<String> taken = new HashSet<>(named.queryForList(
          "SELECT name FROM hosts WHERE name IN (:names)", Map.of("names", firstRowByName.keySet()), String.class));
      firstRowByName.forEach((name, row) -> {
        if (taken.contains(name)) {
          problems.nested(rowLabel.apply(row)).add("name", "a host named '" + name + "' already exists");
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(
          "Import rejected: " + problems.count() + " problem(s), no host was imported", problems.list());
    }
    List<Long> ids = new ArrayList<>(specs.size());
    try {
      for (int i = 0; i < specs.size(); i++) {
        ids.add(insert(specs.get(i), credentialIds.get(i)));
      }
    } catch (ConflictException e) {
      // A host of the same name was created concurrently; the transaction rolls back the rows already inserted.
      throw new ConflictException("name", e.getMessage() + "; no host was imported");
    }
    return ids.stream().map(this::get).toList();
  }

  @Transactional
  public Host update(long id, HostSpec raw) {
    lockForReportChange(id);
    Host old = get(id);
    HostSpec spec = raw.withDefaults();
    Long credentialId = checked(spec, new Problems(), "Invalid host");
    // the host's report counts under its OS family and tags (fleet views, compliance summary): a
    // change moves it, in this transaction
    boolean regrouped = !old.osFamily().equals(spec.osFamily()) || !old.tags().equals(spec.tags());
    FleetCounts.CountedReport counted = regrouped ? fleetCounts.countedReport(id) : FleetCounts.CountedReport.NONE;
    try {
      jdbc.sql("UPDATE hosts SET name = ?, address = ?, port = ?, username = ?, key_path = ?, credential_id = ?,"
              + " os_family = ?, scenario = ?, access = ?, updated_at = ? WHERE id = ?")
          .params(spec.name(), spec.address(), spec.port(), spec.username(), spec.keyPath(), credentialId,
              spec.osFamily().name(), spec.scenario().name(), spec.access().name(), now(), id)
          .update();
    } catch (DuplicateKeyException e) {
      throw duplicateName(spec.name());
    }
    jdbc.sql("DELETE FROM host_tags WHERE host_id = ?").param(id).update();
    insertTags(id, spec.tags());
    if (counted != FleetCounts.CountedReport.NONE) {
      jdbc.sql("UPDATE compliance_reports SET os_family = ? WHERE host_id = ?").params(spec.osFamily().name(), id).update();
      fleetCounts.recordReplacement(counted, counted.movedTo(spec.osFamily().name(), spec.tags()));
    }
    return get(id);
  }

  public Host get(long id) {
    List<Host> hosts = query(" WHERE h.id = :id", Map.of("id", id), "");
    if (hosts.isEmpty()) {
      throw new NotFoundException("host", id);
    }
    return hosts.get(0);
  }

  /** The hosts of these ids that exist, in the order given, in one query: a deleted one is left out. */
  public List<Host> getEach(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<Long, Host> byId = new LinkedHashMap<>();
    query(" WHERE h.id IN (:ids)", Map.of("ids", List.copyOf(ids)), "").forEach(h -> byId.put(h.id(), h));
    return ids.stream().distinct().map(byId::get).filter(Objects::nonNull).toList();
  }

  public PageResult<Host> list(HostQuery query, PageRequest page) {
    Map<String, Object> params = new HashMap<>();
    String where = where(query, params);
    Long total = named.queryForObject(
        "SELECT COUNT(*) FROM hosts h LEFT JOIN compliance_reports r ON r.host_id = h.id" + where, params, Long.class);
    params.put("limit", page.size());
    params.put("offset", page.offset());
    List<Host> items = query(where, params, " ORDER BY h.id LIMIT :limit OFFSET :offset");
    return new PageResult<>(items, page.page(), page.size(), total == null ? 0 : total);
  }

  /** Rows MySQL Connector/J streams one at a time (its signal for a streaming result set) rather than reading them all first. */
  private static final int STREAM_ROW_BY_ROW = Integer.MIN_VALUE;

  /**
   * Every host the query matches, in id order, handed to {@code each} one at a time as the database
   * sends it: one query (tags and newest report joined in), streamed, so a fleet of any size passes
   * in bounded memory. The connection is busy until the last row: {@code each} must not use the
   * database on it (do not call this inside a transaction that does).
   */
  public void forEachMatching(HostQuery query, Consumer<HostExportRow> each) {
    Map<String, Object> params = new HashMap<>();
    String where = where(query, params);
    streaming.query("SELECT h.id, h.name, h.address, h.port, h.os_family, h.scenario, h.access,"
            + " r.status AS report_status, r.scanned_at, b.name AS baseline_name, r.installed_count,"
            + " r.installed_other_count, r.pending_reboot_count, r.installed_rejected_count, r.missing_count,"
            + " r.failed_count,"
            + " (SELECT GROUP_CONCAT(CONCAT(t.tag_key, '=', t.tag_value) ORDER BY t.tag_key SEPARATOR ';')"
            + " FROM host_tags t WHERE t.host_id = h.id) AS tags"
            + " FROM hosts h LEFT JOIN compliance_reports r ON r.host_id = h.id"
            + " LEFT JOIN baselines b ON b.id = r.baseline_id" + where + " ORDER BY h.id",
        params,
        (RowCallbackHandler) rs -> {
          String status = rs.getString("report_status");
          Timestamp scannedAt = rs.getTimestamp("scanned_at");
          each.accept(new HostExportRow(rs.getLong("id"), rs.getString("name"), rs.getString("address"),
              rs.getInt("port"), OsFamily.valueOf(rs.getString("os_family")), Scenario.valueOf(rs.getString("scenario")),
              AccessMode.valueOf(rs.getString("access")), rs.getString("tags"),
              status == null ? Host.ComplianceStatus.UNKNOWN : Host.ComplianceStatus.valueOf(status),
              rs.getString("baseline_name"), scannedAt == null ? null : scannedAt.toInstant(),
              rs.getInt("installed_count"), rs.getInt("installed_other_count"), rs.getInt("pending_reboot_count"),
              rs.getInt("installed_rejected_count"), rs.getInt("missing_count"), rs.getInt("failed_count")));
        });
  }

  /** The WHERE clause of the query's filters over hosts {@code h} and their newest reports {@code r}; fills {@code params}. */
  private static String where(HostQuery query, Map<String, Object> params) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    int n = 0;
    for (var tag : query.tags().entrySet()) {
      where.append(" AND EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag_key = :tk")
          .append(n).append(" AND t.tag_value = :tv").append(n).append(')');
      params.put("tk" + n, tag.getKey());
      params.put("tv" + n, tag.getValue());
      n++;
    }
    if (query.osFamily() != null) {
      where.append(" AND h.os_family = :os");
      params.put("os", query.osFamily().name());
    }
    if (query.scenario() != null) {
      where.append(" AND h.scenario = :scenario");
      params.put("scenario", query.scenario().name());
    }
    if (query.complianceStatus() == Host.ComplianceStatus.UNKNOWN) {
      where.append(" AND r.host_id IS NULL");
    } else if (query.complianceStatus() != null) {
      where.append(" AND r.status = :status");
      params.put("status", query.complianceStatus().name());
    }
    if (query.reportBaselineId() != null) {
      where.append(" AND r.baseline_id = :reportBaseline");
      params.put("reportBaseline", query.reportBaselineId());
    }
    if (query.missingAdvisory() != null) {
      // report_patches holds the newest report's patches only
      where.append(" AND EXISTS (SELECT 1 FROM report_patches p WHERE p.host_id = h.id AND p.advisory_id = :adv")
          .append(" AND p.state IN ('").append(PatchState.MISSING.name()).append("', '")
          .append(PatchState.FAILED.name()).append("'))");
      params.put("adv", query.missingAdvisory());
    }
    return where.toString();
  }

  /** Records why the newest attempt to work on the host failed, for people to read; a later success clears it. */
  public void recordError(long id, HostErrorKind kind, String message, java.time.Instant at) {
    jdbc.sql("UPDATE hosts SET last_error_kind = ?, last_error_message = ?, last_error_at = ? WHERE id = ?")
        .params(kind.name(), io.patchloop.inventory.HostDataLimits.message(message), Timestamp.from(at), id).update();
  }

  public void clearError(long id) {
    jdbc.sql("UPDATE hosts SET last_error_kind = NULL, last_error_message = NULL, last_error_at = NULL WHERE id = ?")
        .param(id).update();
  }

  /**
   * Keeps an agent's report, stamped with the platform's clock (a host's clock may be wrong).
   *
   * @return false when no host has that id
   */
  public boolean recordAgentReport(long hostId, String version, Map<String, String> facts, Instant startedAt) {
    return jdbc.sql("UPDATE hosts SET agent_version = ?, agent_facts = ?, agent_started_at = ?, agent_last_seen = ?"
            + " WHERE id = ?")
        .params(version, JsonText.write(facts), storable(startedAt) ? Timestamp.from(startedAt) : null,
            Timestamp.from(clock.instant()), hostId)
        .update() > 0;
  }

  /** The host's clock said when its agent started; a time a TIMESTAMP column cannot hold is dropped, not fatal. */
  private static boolean storable(Instant at) {
    return at != null && at.isAfter(Instant.parse("1970-01-02T00:00:00Z")) && at.isBefore(Instant.parse("2038-01-01T00:00:00Z"));
  }

  /**
   * Agent hosts by their agent's state, as {@link AgentStatus} tells it for one host: NEVER_SEEN
   * without a report, ONLINE when the last one is within {@code patchloop.agent.offline-after}.
   */
  public Map<AgentStatus.State, Long> countAgentsByState() {
    Timestamp onlineSince = Timestamp.from(clock.instant().minus(agents.offlineAfter()));
    Map<AgentStatus.State, Long> counts = new java.util.EnumMap<>(AgentStatus.State.class);
    jdbc.sql("SELECT CASE WHEN agent_last_seen IS NULL THEN 'NEVER_SEEN' WHEN agent_last_seen >= ? THEN 'ONLINE'"
            + " ELSE 'OFFLINE' END AS state, COUNT(*) AS n FROM hosts WHERE access = ? GROUP BY 1")
        .params(onlineSince, AccessMode.AGENT.name())
        .query(rs -> {
          counts.put(AgentStatus.State.valueOf(rs.getString("state")), rs.getLong("n"));
        });
    return counts;
  }

  /** The credential id behind a host, for host access to decrypt; null when the host uses a key file. */
  public Long credentialId(long hostId) {
    return jdbc.sql("SELECT credential_id FROM hosts WHERE id = ?").param(hostId).query(Long.class).optional()
        .orElseThrow(() -> new NotFoundException("host", hostId));
  }

  @Transactional
  public void delete(long id) {
    lockForReportChange(id);
    // the report goes with the host (ON DELETE CASCADE), and out of the fleet's counts with it
    fleetCounts.recordRemoval(id);
    if (jdbc.sql("DELETE FROM hosts WHERE id = ?").param(id).update() == 0) {
      throw new NotFoundException("host", id);
    }
  }

  /**
   * Waits for a report write of the host in progress, and keeps new ones out until this
   * transaction ends (a report write holds the host's row in share mode): what this transaction
   * reads of the host's report is then what it moves or removes in the fleet's counts. Call first,
   * before anything reads: under REPEATABLE READ the first plain read fixes what later ones see.
   */
  private void lockForReportChange(long id) {
    fleetCounts.holdForReportWrite();
    jdbc.sql("SELECT id FROM hosts WHERE id = ? FOR UPDATE").param(id).query(Long.class).optional();
  }

  private Long checked(HostSpec spec, Problems problems, String title) {
    Long credentialId = resolveCredential(spec, problems);
    spec.validate(problems);
    problems.throwIfAny(title);
    return credentialId;
  }

  private Long resolveCredential(HostSpec spec, Problems problems) {
    if (spec.credentialName() == null || spec.keyPath() != null) {
      return null;
    }
    return credentials.findByName(spec.credentialName()).map(Credential::id).orElseGet(() -> {
      problems.add("credentialName", "no stored credential is named '" + HostSpec.abbreviate(spec.credentialName()) + "'");
      return null;
    });
  }

  private long insert(HostSpec spec, Long credentialId) {
    Timestamp now = now();
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO hosts (name, address, port, username, key_path, credential_id, os_family, scenario,"
              + " access, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(spec.name(), spec.address(), spec.port(), spec.username(), spec.keyPath(), credentialId,
              spec.osFamily().name(), spec.scenario().name(), spec.access().name(), now, now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw duplicateName(spec.name());
    }
    long id = keys.getKey().longValue();
    insertTags(id, spec.tags());
    return id;
  }

  private void insertTags(long hostId, Map<String, String> tags) {
    for (var tag : new TreeMap<>(tags).entrySet()) {
      jdbc.sql("INSERT INTO host_tags (host_id, tag_key, tag_value) VALUES (?, ?, ?)")
          .params(hostId, tag.getKey(), tag.getValue())
          .update();
    }
  }

  private List<Host> query(String where, Map<String, Object> params, String tail) {
    List<Host> hosts = named.query(SELECT + where + tail, params, this::map);
    if (hosts.isEmpty()) {
      return hosts;
    }
    Map<Long, Map<String, String>> tags = new HashMap<>();
    named.query(
        "SELECT host_id, tag_key, tag_value FROM host_tags WHERE host_id IN (:ids) ORDER BY tag_key",
        Map.of("ids", hosts.stream().map(Host::id).toList()),
        rs -> {
          tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
        });
    return hosts.stream().map(h -> withTags(h, tags.getOrDefault(h.id(), Map.of()))).toList();
  }

  private static Host withTags(Host h, Map<String, String> tags) {
    return new Host(h.id(), h.name(), h.address(), h.port(), h.username(), h.keyPath(), h.credentialName(),
        h.osFamily(), h.scenario(), Map.copyOf(tags), h.complianceStatus(), h.lastScannedAt(), h.lastError(), h.createdAt(),
        h.updatedAt(), h.access(), h.agent());
  }

  private Host map(ResultSet rs, int n) throws SQLException {
    String status = rs.getString("report_status");
    Timestamp scannedAt = rs.getTimestamp("scanned_at");
    return new Host(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("address"),
        rs.getInt("port"),
        rs.getString("username"),
        rs.getString("key_path"),
        rs.getString("credential_name"),
        OsFamily.valueOf(rs.getString("os_family")),
        Scenario.valueOf(rs.getString("scenario")),
        Map.of(),
        status == null ? Host.ComplianceStatus.UNKNOWN : Host.ComplianceStatus.valueOf(status),
        scannedAt == null ? null : scannedAt.toInstant(),
        lastError(rs),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        AccessMode.valueOf(rs.getString("access")),
        agent(rs));
  }

  private AgentStatus agent(ResultSet rs) throws SQLException {
    Timestamp lastSeen = rs.getTimestamp("agent_last_seen");
    if (lastSeen == null) {
      return rs.getString("access").equals(AccessMode.AGENT.name())
          ? new AgentStatus(AgentStatus.State.NEVER_SEEN, null, null, null, Map.of()) : null;
    }
    Instant seen = lastSeen.toInstant();
    Timestamp started = rs.getTimestamp("agent_started_at");
    boolean online = !seen.plus(agents.offlineAfter()).isBefore(clock.instant());
    return new AgentStatus(online ? AgentStatus.State.ONLINE : AgentStatus.State.OFFLINE, rs.getString("agent_version"),
        started == null ? null : started.toInstant(), seen, facts(rs.getString("agent_facts")));
  }

  private static Map<String, String> facts(String json) {
    if (json == null) {
      return Map.of();
    }
    return JsonText.read(json, new TypeReference<Map<String, String>>() {}, "hosts.agent_facts");
  }

  private static Host.LastError lastError(ResultSet rs) throws SQLException {
    String kind = rs.getString("last_error_kind");
    Timestamp at = rs.getTimestamp("last_error_at");
    return kind == null ? null : new Host.LastError(kind, rs.getString("last_error_message"), at == null ? null : at.toInstant());
  }

  private static ConflictException duplicateName(String name) {
    return new ConflictException("name", "a host named '" + name + "' already exists");
  }

  private Timestamp now() {
    return Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }
}
