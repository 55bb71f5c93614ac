package io.patchloop.windows;

import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.window.MaintenanceWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Maintenance windows by id and by name; tickets copy one when they are created. */
@Repository
public class MaintenanceWindowStore {

  private static final String SELECT = "SELECT id, name, description, cron, time_zone, duration_minutes, on_close,"
      + " selector, created_at, updated_at FROM maintenance_windows";

  private final JdbcClient jdbc;
  private final Clock clock;

  public MaintenanceWindowStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public StoredWindow create(MaintenanceWindowSpec raw) {
    MaintenanceWindowSpec spec = raw.normalized();
    spec.validate().throwIfAny("Invalid maintenance window");
    Timestamp now = now();
    var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO maintenance_windows (name, description, cron, time_zone, duration_minutes, on_close,"
              + " selector, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(spec.name(), spec.description(), spec.cron(), spec.timeZone(), spec.durationMinutes(),
              spec.onClose().name(), JsonText.write(spec.selector()), now, now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a maintenance window named '" + spec.name() + "' already exists");
    }
    return get(keys.getKey().longValue());
  }

  /** Replaces the window; tickets created before keep the copy they took. */
  @Transactional
  public StoredWindow update(long id, MaintenanceWindowSpec raw) {
    get(id);
    MaintenanceWindowSpec spec = raw.normalized();
    spec.validate().throwIfAny("Invalid maintenance window");
    try {
      jdbc.sql("UPDATE maintenance_windows SET name = ?, description = ?, cron = ?, time_zone = ?,"
              + " duration_minutes = ?, on_close = ?, selector = ?, updated_at = ? WHERE id = ?")
          .params(spec.name(), spec.description(), spec.cron(), spec.timeZone(), spec.durationMinutes(),
              spec.onClose().name(), JsonText.write(spec.selector()), now(), id)
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a maintenance window named '" + spec.name() + "' already exists");
    }
    return get(id);
  }

  public StoredWindow get(long id) {
    return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(MaintenanceWindowStore::map).optional()
        .orElseThrow(() -> new NotFoundException("maintenance window", id));
  }

  public Optional<StoredWindow> findByName(String name) {
    return jdbc.sql(SELECT + " WHERE name = ?").param(name).query(MaintenanceWindowStore::map).optional();
  }

  public List<StoredWindow> list() {
    return jdbc.sql(SELECT + " ORDER BY name").query(MaintenanceWindowStore::map).list();
  }

  @Transactional
  public void delete(long id) {
    if (jdbc.sql("DELETE FROM maintenance_windows WHERE id = ?").param(id).update() == 0) {
      throw new NotFoundException("maintenance window", id);
    }
  }

  private Timestamp now() {
    return Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  private static StoredWindow map(ResultSet rs, int n) throws SQLException {
    return new StoredWindow(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getString("cron"),
        rs.getString("time_zone"), rs.getInt("duration_minutes"),
        MaintenanceWindow.OnClose.valueOf(rs.getString("on_close")),
        JsonText.read(rs.getString("selector"), TicketSpec.Selector.class, "maintenance_windows.selector"),
        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
  }
}
