package io.patchloop.baselines;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Baselines with their rules and patch lists. Keeps exactly one default per OS that has
 * baselines: the first baseline of an OS becomes its default, making another baseline the default
 * takes the flag from the old one in the same transaction, and the default itself can be replaced
 * but not removed.
 */
@Repository
public class BaselineStore {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String APPROVED = "APPROVED";
  private static final String REJECTED = "REJECTED";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;
  private final Clock clock;

  public BaselineStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, Clock clock) {
    this.jdbc = jdbc;
    this.named = named;
    this.clock = clock;
  }

  @Transactional
  public Baseline create(BaselineSpec raw) {
    BaselineSpec spec = raw.withDefaults();
    spec.validate().throwIfAny("Invalid baseline");
    boolean makeDefault = spec.defaultForOs() || defaultFor(spec.os()).isEmpty();
    if (makeDefault) {
      clearDefault(spec.os());
    }
    Timestamp now = now();
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO baselines (name, description, scenario, os, approved_patches_compliance_level,"
              + " rejected_patches_action, default_for_os, built_in, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)")
          .params(spec.name(), spec.description(), spec.scenario().name(), spec.os().name(),
              spec.approvedPatchesComplianceLevel().name(), spec.rejectedPatchesAction().name(), makeDefault, now, now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw duplicateName(spec.name(), e);
    }
    long id = keys.getKey().longValue();
    insertChildren(id, spec);
    return get(id);
  }

  @Transactional
  public Baseline update(long id, BaselineSpec raw) {
    Baseline current = get(id);
    BaselineSpec spec = raw.withDefaults();
    spec.validate().throwIfAny("Invalid baseline");
    boolean makeDefault = spec.defaultForOs();
    if (current.defaultForOs() && (!makeDefault || spec.os() != current.os())) {
      throw new ConflictException("defaultForOs", "baseline '" + current.name() + "' is the default for "
          + current.os() + "; make another " + current.os() + " baseline the default first");
    }
    if (!makeDefault && defaultFor(spec.os()).isEmpty()) {
      makeDefault = true;
    }
    if (makeDefault) {
      clearDefault(spec.os());
    }
    try {
      jdbc.sql("UPDATE baselines SET name = ?, description = ?, scenario = ?, os = ?,"
              + " approved_patches_compliance_level = ?, rejected_patches_action = ?, default_for_os = ?,"
              + " updated_at = ? WHERE id = ?")
          .params(spec.name(), spec.description(), spec.scenario().name(), spec.os().name(),
              spec.approvedPatchesComplianceLevel().name(), spec.rejectedPatchesAction().name(), makeDefault,
              now(), id)
          .update();
    } catch (DuplicateKeyException e) {
      throw duplicateName(spec.name(), e);
    }
    jdbc.sql("DELETE FROM baseline_rules WHERE baseline_id = ?").param(id).update();
    jdbc.sql("DELETE FROM baseline_patches WHERE baseline_id = ?").param(id).update();
    insertChildren(id, spec);
    return get(id);
  }

  @Transactional
  public void delete(long id) {
    Baseline current = get(id);
    if (current.defaultForOs()) {
      throw new ConflictException("id", "baseline '" + current.name() + "' is the default for " + current.os()
          + "; make another " + current.os() + " baseline the default before deleting it");
    }
    jdbc.sql("DELETE FROM baselines WHERE id = ?").param(id).update();
  }

  public Baseline get(long id) {
    return find(" WHERE b.id = :id", Map.of("id", id)).stream().findFirst()
        .orElseThrow(() -> new NotFoundException("baseline", id));
  }

  public Optional<Baseline> defaultFor(OsFamily os) {
    return find(" WHERE b.os = :os AND b.default_for_os", Map.of("os", os.name())).stream().findFirst();
  }

  public List<Baseline> list(OsFamily os) {
    return os == null ? find("", Map.of()) : find(" WHERE b.os = :os", Map.of("os", os.name()));
  }

  private void clearDefault(OsFamily os) {
    jdbc.sql("UPDATE baselines SET default_for_os = FALSE WHERE os = ? AND default_for_os")
        .param(os.name()).update();
  }

  private void insertChildren(long id, BaselineSpec spec) {
    for (int i = 0; i < spec.rules().size(); i++) {
      ApprovalRule r = spec.rules().get(i);
      jdbc.sql("INSERT INTO baseline_rules (baseline_id, position, products, categories, severities,"
              + " approve_after_days, approve_until_date, compliance_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .params(id, i, json(r.products()), json(r.categories()), json(r.severities()), r.approveAfterDays(),
              r.approveUntilDate() == null ? null : Date.valueOf(r.approveUntilDate()), r.complianceLevel().name())
          .update();
    }
    insertPatches(id, APPROVED, spec.approvedPatches());
    insertPatches(id, REJECTED, spec.rejectedPatches());
  }

  private void insertPatches(long id, String kind, List<String> patterns) {
    for (String p : patterns) {
      jdbc.sql("INSERT INTO baseline_patches (baseline_id, list_kind, pattern) VALUES (?, ?, ?)")
          .params(id, kind, p).update();
    }
  }

  private List<Baseline> find(String where, Map<String, Object> params) {
    List<Baseline> rows = named.query("SELECT * FROM baselines b" + where + " ORDER BY b.os, b.name", params,
        this::map);
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, Object> ids = Map.of("ids", rows.stream().map(Baseline::id).toList());
    Map<Long, List<ApprovalRule>> rules = new HashMap<>();
    named.query("SELECT * FROM baseline_rules WHERE baseline_id IN (:ids) ORDER BY baseline_id, position", ids,
        rs -> {
          Date until = rs.getDate("approve_until_date");
          int days = rs.getInt("approve_after_days");
          Integer after = rs.wasNull() ? null : days;
          rules.computeIfAbsent(rs.getLong("baseline_id"), k -> new ArrayList<>()).add(new ApprovalRule(
              strings(rs.getString("products")),
              strings(rs.getString("categories")),
              strings(rs.getString("severities")),
              after,
              until == null ? null : until.toLocalDate(),
              ComplianceLevel.valueOf(rs.getString("compliance_level"))));
        });
    Map<Long, List<String>> approved = new HashMap<>();
    Map<Long, List<String>> rejected = new HashMap<>();
    named.query("SELECT * FROM baseline_patches WHERE baseline_id IN (:ids) ORDER BY pattern", ids, rs -> {
      var target = APPROVED.equals(rs.getString("list_kind")) ? approved : rejected;
      target.computeIfAbsent(rs.getLong("baseline_id"), k -> new ArrayList<>()).add(rs.getString("pattern"));
    });
    return rows.stream().map(b -> new Baseline(b.id(), b.name(), b.description(), b.scenario(), b.os(),
        List.copyOf(rules.getOrDefault(b.id(), List.of())),
        List.copyOf(approved.getOrDefault(b.id(), List.of())),
        b.approvedPatchesComplianceLevel(),
        List.copyOf(rejected.getOrDefault(b.id(), List.of())),
        b.rejectedPatchesAction(), b.defaultForOs(), b.builtIn(), b.createdAt(), b.updatedAt())).toList();
  }

  private Baseline map(ResultSet rs, int n) throws SQLException {
    return new Baseline(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("description"),
        Scenario.valueOf(rs.getString("scenario")),
        OsFamily.valueOf(rs.getString("os")),
        List.of(),
        List.of(),
        ComplianceLevel.valueOf(rs.getString("approved_patches_compliance_level")),
        List.of(),
        RejectedPatchesAction.valueOf(rs.getString("rejected_patches_action")),
        rs.getBoolean("default_for_os"),
        rs.getBoolean("built_in"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static String json(List<String> values) {
    return JsonText.write(values);
  }

  private static List<String> strings(String json) {
    return List.copyOf(JsonText.read(json, STRINGS, "baseline_rules"));
  }

  /** Tells a clash of names from two writers racing to make a default (the unique key on default_os). */
  private static ConflictException duplicateName(String name, DuplicateKeyException e) {
    if (String.valueOf(e.getMessage()).contains("default_os")) {
      return new ConflictException("defaultForOs", "another request changed the default baseline of this OS at the"
          + " same time; read the baselines again and retry");
    }
    return new ConflictException("name", "a baseline named '" + name + "' already exists");
  }

  private Timestamp now() {
    return Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }
}
