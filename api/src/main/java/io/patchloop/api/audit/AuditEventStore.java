package io.patchloop.api.audit;

import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit_events table. Writes join the caller's transaction when there is one (JdbcClient does). */
@Repository
public class AuditEventStore {

  /** One audited call, as the API lists it. */
  public record AuditEvent(long id, Instant at, String actor, String role, String channel, String method, String path,
      String resource, String targetId, String action, Integer status, AuditOutcome outcome, String requestId,
      String clientAddress, boolean inTransaction) {}

  /** Filters of the listing; every one may be null. */
  public record Query(String actor, String resource, Instant from, Instant to, AuditOutcome outcome) {}

  private final JdbcClient jdbc;

  public AuditEventStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Writes the record; with no status yet (in a transaction) its outcome is SUCCESS until the filter says otherwise. */
  long insert(AuditContext c, Integer status, AuditOutcome outcome, String targetId, boolean inTransaction) {
    var keys = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO audit_events (occurred_at, actor, role, channel, method, path, resource, target_id, action,"
            + " status, outcome, request_id, client_address, in_transaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(Timestamp.from(c.at), cut(c.actor, 255), c.role, c.channel, c.method, cut(c.path, 512),
            cut(c.target.resource(), 64), cut(targetId, 128), cut(c.target.action(), 32), status, outcome.name(),
            c.requestId, cut(c.clientAddress, 64), inTransaction)
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  /** Completes a row its transaction wrote; false when there is no such row (its transaction rolled back after all). */
  boolean complete(long id, int status, AuditOutcome outcome, String targetId) {
    return jdbc.sql("UPDATE audit_events SET status = ?, outcome = ?, target_id = COALESCE(target_id, ?) WHERE id = ?")
        .params(status, outcome.name(), cut(targetId, 128), id)
        .update() == 1;
  }

  public PageResult<AuditEvent> list(Query q, PageRequest page) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.actor() != null) {
      where.append(" AND actor = ?");
      params.add(q.actor());
    }
    if (q.resource() != null) {
      where.append(" AND resource = ?");
      params.add(q.resource());
    }
    if (q.from() != null) {
      where.append(" AND occurred_at >= ?");
      params.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      where.append(" AND occurred_at < ?");
      params.add(Timestamp.from(q.to()));
    }
    if (q.outcome() != null) {
      where.append(" AND outcome = ?");
      params.add(q.outcome().name());
    }
    long total = jdbc.sql("SELECT COUNT(*) FROM audit_events" + where).params(params).query(Long.class).single();
    List<Object> paged = new ArrayList<>(params);
    paged.add(page.size());
    paged.add(page.offset());
    List<AuditEvent> items = jdbc.sql("SELECT * FROM audit_events" + where
            + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")
        .params(paged).query(AuditEventStore::map).list();
    return new PageResult<>(items, page.page(), page.size(), total);
  }

  /** Deletes at most {@code batch} rows older than {@code cutoff}; the number deleted. */
  int deleteOlderThan(Instant cutoff, int batch) {
    return jdbc.sql("DELETE FROM audit_events WHERE occurred_at < ? ORDER BY occurred_at, id LIMIT ?")
        .params(Timestamp.from(cutoff), batch).update();
  }

  private static AuditEvent map(ResultSet rs, int n) throws SQLException {
    int status = rs.getInt("status");
    Integer boxed = rs.wasNull() ? null : status;
    return new AuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
        rs.getString("role"), rs.getString("channel"), rs.getString("method"), rs.getString("path"),
        rs.getString("resource"), rs.getString("target_id"), rs.getString("action"), boxed,
        AuditOutcome.valueOf(rs.getString("outcome")), rs.getString("request_id"), rs.getString("client_address"),
        rs.getBoolean("in_transaction"));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
