package io.patchloop.hooks;

import io.patchloop.common.ConflictException;
import io.patchloop.common.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hook scripts by name, each edit a new version. Versions are never changed; deleting a hook deletes
 * all of them, and tickets that copied one keep their copy.
 */
@Repository
public class HookStore {

  private static final String COLUMNS =
      "id, name, version, description, script, timeout_seconds, sha256, created_by, created_at";

  private final JdbcClient jdbc;
  private final Clock clock;

  public HookStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A new hook, version 1. */
  @Transactional
  public HookScript create(HookScriptSpec spec, String createdBy) {
    spec.validate(null).throwIfAny("Invalid hook");
    if (exists(spec.name())) {
      throw new ConflictException("name", "a hook named '" + spec.name() + "' already exists; PUT /api/v1/hooks/"
          + spec.name() + " stores a new version of it");
    }
    return insert(spec.name(), 1, spec, createdBy);
  }

  /** The next version of a hook; the newest version's row is locked so two edits get two numbers. */
  @Transactional
  public HookScript newVersion(String name, HookScriptSpec spec, String createdBy) {
    spec.validate(name).throwIfAny("Invalid hook");
    int newest = jdbc.sql("SELECT version FROM hook_scripts WHERE name = ? ORDER BY version DESC LIMIT 1 FOR UPDATE")
        .param(name).query(Integer.class).optional().orElseThrow(() -> new NotFoundException("hook", name));
    return insert(name, newest + 1, spec, createdBy);
  }

  private HookScript insert(String name, int version, HookScriptSpec spec, String createdBy) {
    try {
      jdbc.sql("INSERT INTO hook_scripts (name, version, description, script, timeout_seconds, sha256, created_by,"
              + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .params(name, version, spec.description(), spec.script(), spec.timeoutSecondsOrDefault(),
              sha256(spec.script()), createdBy, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS)))
          .update();
    } catch (DuplicateKeyException e) {
      // two creates of one new name at once: the second finds the first's row here
      throw new ConflictException("name", "a hook named '" + name + "' version " + version + " was stored just now;"
          + " try again");
    }
    return version(name, version);
  }

  private boolean exists(String name) {
    return jdbc.sql("SELECT COUNT(*) FROM hook_scripts WHERE name = ?").param(name).query(Long.class).single() > 0;
  }

  /** The newest version of each hook, by name. */
  public List<HookScript> list() {
    Map<String, List<Integer>> versions = new LinkedHashMap<>();
    jdbc.sql("SELECT name, version FROM hook_scripts ORDER BY name, version")
        .query((rs, n) -> versions.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getInt(2)))
        .list();
    return jdbc.sql("SELECT " + COLUMNS + " FROM hook_scripts h WHERE version ="
            + " (SELECT MAX(version) FROM hook_scripts v WHERE v.name = h.name) ORDER BY name")
        .query((rs, n) -> map(rs, versions.get(rs.getString("name")))).list();
  }

  /** The newest version of a hook. */
  public HookScript newest(String name) {
    return find(name).orElseThrow(() -> new NotFoundException("hook", name));
  }

  public Optional<HookScript> find(String name) {
    List<Integer> versions = versions(name);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(version(name, versions.get(versions.size() - 1)));
  }

  public HookScript version(String name, int version) {
    List<Integer> versions = versions(name);
    return jdbc.sql("SELECT " + COLUMNS + " FROM hook_scripts WHERE name = ? AND version = ?").params(name, version)
        .query((rs, n) -> map(rs, versions)).optional()
        .orElseThrow(() -> new NotFoundException("hook", name + "@" + version));
  }

  private List<Integer> versions(String name) {
    return jdbc.sql("SELECT version FROM hook_scripts WHERE name = ? ORDER BY version").param(name)
        .query(Integer.class).list();
  }

  /** Deletes every version; tickets that copied one run their copy to the end. */
  @Transactional
  public void delete(String name) {
    if (jdbc.sql("DELETE FROM hook_scripts WHERE name = ?").param(name).update() == 0) {
      throw new NotFoundException("hook", name);
    }
  }

  private static HookScript map(ResultSet rs, List<Integer> versions) throws SQLException {
    return new HookScript(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), rs.getString("description"),
        rs.getString("script"), rs.getInt("timeout_seconds"), rs.getString("sha256"), rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant(), versions == null ? List.of() : List.copyOf(versions));
  }

  static String sha256(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
