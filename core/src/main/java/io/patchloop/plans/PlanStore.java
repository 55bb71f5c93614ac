package io.patchloop.plans;

import io.patchloop.common.ConflictException;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Inspection plans and their runs in MySQL. */
@Repository
public class PlanStore {

  /**
   * The ticket settings of a plan, stored as one JSON column (so a new setting needs no migration);
   * {@code metadataRefresh} is absent from plans stored before it existed.
   */
  record TicketSettings(BatchSpec batch, Integer concurrency, SuspensionSpec suspension,
      MetadataRefresh metadataRefresh, Operation operation, Operation afterScan, RebootOption rebootOption,
      Integer rebootTimeoutSeconds, String preHook, String postHook, String maintenanceWindow,
      ComplianceLevel minLevel) {

    static TicketSettings of(PlanSpec s) {
      return new TicketSettings(s.batch(), s.concurrency(), s.suspension(), s.metadataRefresh(), s.operation(),
          s.afterScan(), s.rebootOption(), s.rebootTimeoutSeconds(), s.preHook(), s.postHook(), s.maintenanceWindow(),
          s.minLevel());
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  public PlanStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public InspectionPlan create(PlanSpec s) {
    Timestamp now = Timestamp.from(clock.instant());
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO inspection_plans (name, cron, time_zone, selector, baseline_id, ticket_settings,"
              + " overlap_policy, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(s.name(), s.cron(), s.timeZone(), json(s.selector()), s.baselineId(),
              json(TicketSettings.of(s)), s.overlapPolicy(), s.paused(), now, now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a plan named '" + s.name() + "' already exists");
    }
    return get(keys.getKey().longValue());
  }

  @Transactional
  public InspectionPlan update(long id, PlanSpec s) {
    try {
      int n = jdbc.sql("UPDATE inspection_plans SET name = ?, cron = ?, time_zone = ?, selector = ?, baseline_id = ?,"
              + " ticket_settings = ?, overlap_policy = ?, paused = ?, updated_at = ? WHERE id = ?")
          .params(s.name(), s.cron(), s.timeZone(), json(s.selector()), s.baselineId(),
              json(TicketSettings.of(s)), s.overlapPolicy(), s.paused(), Timestamp.from(clock.instant()), id)
          .update();
      if (n == 0) {
        throw new NotFoundException("inspection plan", id);
      }
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a plan named '" + s.name() + "' already exists");
    }
    return get(id);
  }

  public InspectionPlan get(long id) {
    return find(id).orElseThrow(() -> new NotFoundException("inspection plan", id));
  }

  public Optional<InspectionPlan> find(long id) {
    return jdbc.sql("SELECT * FROM inspection_plans WHERE id = ?").param(id).query(PlanStore::plan).optional();
  }

  public List<InspectionPlan> list() {
    return jdbc.sql("SELECT * FROM inspection_plans ORDER BY name").query(PlanStore::plan).list();
  }

  @Transactional
  public void delete(long id) {
    if (jdbc.sql("DELETE FROM inspection_plans WHERE id = ?").param(id).update() == 0) {
      throw new NotFoundException("inspection plan", id);
    }
  }

  /** Records a run once; a second record of the same fire time keeps the first. */
  public void recordRun(long planId, Instant fireTime, InspectionPlan.RunOutcome outcome, String ticketId, String reason) {
    jdbc.sql("INSERT IGNORE INTO inspection_plan_runs (plan_id, fire_time, outcome, ticket_id, reason, recorded_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)")
        .params(planId, Timestamp.from(fireTime), outcome.name(), ticketId,
            reason == null ? null : reason.substring(0, Math.min(reason.length(), 500)), Timestamp.from(clock.instant()))
        .update();
  }

  public Optional<InspectionPlan.Run> run(long planId, Instant fireTime) {
    return jdbc.sql("SELECT * FROM inspection_plan_runs WHERE plan_id = ? AND fire_time = ?")
        .params(planId, Timestamp.from(fireTime)).query(PlanStore::run).optional();
  }

  /** Newest first. */
  public List<InspectionPlan.Run> runs(long planId, int limit) {
    return jdbc.sql("SELECT * FROM inspection_plan_runs WHERE plan_id = ? ORDER BY fire_time DESC LIMIT ?")
        .params(planId, limit).query(PlanStore::run).list();
  }

  private static InspectionPlan.Run run(ResultSet rs, int n) throws SQLException {
    return new InspectionPlan.Run(rs.getLong("plan_id"), rs.getTimestamp("fire_time").toInstant(),
        InspectionPlan.RunOutcome.valueOf(rs.getString("outcome")), rs.getString("ticket_id"), rs.getString("reason"),
        rs.getTimestamp("recorded_at").toInstant(), rs.getString("repair_ticket_id"), rs.getString("repair_reason"));
  }

  /** The repair that followed a run's scan ({@code afterScan: REPAIR}), or why there was none; written once. */
  public void recordRepairAfterScan(long planId, Instant fireTime, String repairTicketId, String reason) {
    jdbc.sql("UPDATE inspection_plan_runs SET repair_ticket_id = ?, repair_reason = ? WHERE plan_id = ? AND fire_time = ?"
            + " AND repair_ticket_id IS NULL AND repair_reason IS NULL")
        .params(repairTicketId, reason == null ? null : reason.substring(0, Math.min(reason.length(), 500)), planId,
            Timestamp.from(fireTime))
        .update();
  }

  private static InspectionPlan plan(ResultSet rs, int n) throws SQLException {
    TicketSettings t = read(rs.getString("ticket_settings"), TicketSettings.class);
    return new InspectionPlan(rs.getLong("id"), rs.getString("name"), rs.getString("cron"), rs.getString("time_zone"),
        read(rs.getString("selector"), TicketSpec.Selector.class), rs.getObject("baseline_id", Long.class),
        t.batch(), t.concurrency(), t.suspension(), MetadataRefresh.orDefault(t.metadataRefresh()),
        rs.getString("overlap_policy"), rs.getBoolean("paused"),
        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
        t.operation() == null ? Operation.SCAN : t.operation(), t.afterScan(), t.rebootOption(),
        t.rebootTimeoutSeconds(), t.preHook(), t.postHook(), t.maintenanceWindow(), t.minLevel());
  }

  private static String json(Object value) {
    return JsonText.write(value);
  }

  private static <T> T read(String json, Class<T> type) {
    return JsonText.read(json, type, "inspection_plans");
  }
}
