package io.patchloop.tickets;

import com.fasterxml.jackson.core.type.TypeReference;
import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.common.SqlConstants;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketResult;
import io.patchloop.workflows.ticket.TicketStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tickets and each host's outcome in them. The API creates a ticket (and deletes it again when its
 * workflow cannot start); from then on only the ticket workflow writes it, through
 * {@link TicketRecordActivitiesImpl}, and every write is idempotent. A finished ticket (COMPLETED,
 * ABNORMAL, CANCELLED) keeps its status: a late pause or resume never reopens it.
 */
@Repository
public class TicketStore {

  private static final Logger log = LoggerFactory.getLogger(TicketStore.class);

  /** The longest error message kept per host; longer ones are cut (at a character boundary). */
  public static final int MAX_ERROR_MESSAGE = io.patchloop.inventory.HostDataLimits.MAX_MESSAGE;
  public static final int MAX_DETAIL = 500;
  /** The workflow keeps a host's hook output to 4,000 characters already; a TEXT column holds 65,535 bytes. */
  public static final int MAX_HOOK_OUTPUT = 8000;

  private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};

  /** The ended statuses, as an SQL list of our own constants. */
  private static final String FINISHED =
      SqlConstants.inList(Arrays.stream(TicketStatus.values()).filter(TicketStatus::finished));
  /** The longest end reason kept. */
  public static final int MAX_END_REASON = 1000;
  static final int MAX_WAITING_FOR = 255;

  private static final String SELECT = "SELECT id, operation, status, baseline_id, plan_id, external_ref, parameters, host_count,"
      + " succeeded, failed, not_run, created_at, start_at, started_at, finished_at, end_reason, waiting_for, preview"
      + " FROM tickets";

  /**
   * A ticket as stored.
   *
   * @param parameters the request body as the API received it (the callback's secret masked): a
   *     JSON object, shown as one rather than as a string holding JSON
   * @param endReason why a FAILED ticket ended so; null for the other statuses
   * @param waitingFor what a WAITING ticket waits for ("maintenance window sunday-night, opens at
   *     ..."); null otherwise (a finished ticket keeps its last one)
   * @param preview what a repair started by an inspection plan was previewed as (hosts, batch sizes,
   *     patches, reboots, held-back packages, warnings); null for other tickets
   */
  public record TicketRow(
      String id,
      Operation operation,
      TicketStatus status,
      Long baselineId,
      Long planId,
      String externalRef,
      Map<String, Object> parameters,
      int hostCount,
      int succeeded,
      int failed,
      int notRun,
      Instant createdAt,
      Instant startAt,
      Instant startedAt,
      Instant finishedAt,
      String endReason,
      String waitingFor,
      Map<String, Object> preview) {

    public TicketRow(String id, Operation operation, TicketStatus status, Long baselineId, Long planId,
        String externalRef, Map<String, Object> parameters, int hostCount, int succeeded, int failed, int notRun,
        Instant createdAt, Instant startAt, Instant startedAt, Instant finishedAt, String endReason,
        String waitingFor) {
      this(id, operation, status, baselineId, planId, externalRef, parameters, hostCount, succeeded, failed, notRun,
          createdAt, startAt, startedAt, finishedAt, endReason, waitingFor, null);
    }

    public TicketRow(String id, Operation operation, TicketStatus status, Long baselineId, Long planId,
        String externalRef, Map<String, Object> parameters, int hostCount, int succeeded, int failed, int notRun,
        Instant createdAt, Instant startAt, Instant startedAt, Instant finishedAt, String endReason) {
      this(id, operation, status, baselineId, planId, externalRef, parameters, hostCount, succeeded, failed, notRun,
          createdAt, startAt, startedAt, finishedAt, endReason, null);
    }
  }

  /**
   * One host of a ticket.
   *
   * @param hostName null when the host was deleted since
   * @param state PENDING until the workflow records an outcome: SUCCEEDED, FAILED or NOT_RUN
   */
  public record TicketHostRow(
      long hostId,
      String hostName,
      int batch,
      String state,
      String errorKind,
      String errorMessage,
      String complianceStatus,
      String detail,
      Instant startedAt,
      Instant finishedAt,
      String hookOutput) {

    public TicketHostRow(long hostId, String hostName, int batch, String state, String errorKind, String errorMessage,
        String complianceStatus, String detail, Instant startedAt, Instant finishedAt) {
      this(hostId, hostName, batch, state, errorKind, errorMessage, complianceStatus, detail, startedAt, finishedAt,
          null);
    }
  }

  /**
   * Filters of a ticket listing; null means no filter. {@code createdFrom} is inclusive, {@code createdTo} exclusive.
   */
  public record TicketQuery(TicketStatus status, Operation operation, Instant createdFrom, Instant createdTo,
      String externalRef) {

    public TicketQuery(TicketStatus status, Operation operation, Instant createdFrom, Instant createdTo) {
      this(status, operation, createdFrom, createdTo, null);
    }

    public static TicketQuery all() {
      return new TicketQuery(null, null, null, null);
    }
  }

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;
  private final Clock clock;

  public TicketStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, Clock clock) {
    this.jdbc = jdbc;
    this.named = named;
    this.clock = clock;
  }

  /**
   * Stores a new ticket, CREATED, with one PENDING row (batch 0) per host; a host id given twice
   * counts once.
   *
   * @throws ConflictException (field {@code id}) when a ticket of that id exists
   */
  @Transactional
  public TicketRow create(String id, Operation operation, Long baselineId, String parametersJson, List<Long> hostIds) {
    return create(id, operation, baselineId, parametersJson, hostIds, null, null, null);
  }

  /**
   * @param startAt null to start at once; otherwise the ticket is SCHEDULED until then
   * @param planId the inspection plan that started it, or null
   * @param externalRef a ticketing system's reference, or null
   */
  @Transactional
  public TicketRow create(String id, Operation operation, Long baselineId, String parametersJson, List<Long> hostIds,
      Instant startAt, Long planId, String externalRef) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(parametersJson, "parametersJson");
    List<Long> hosts = new ArrayList<>(new LinkedHashSet<>(hostIds));
    try {
      jdbc.sql("INSERT INTO tickets (id, operation, status, baseline_id, plan_id, external_ref, parameters, host_count,"
              + " succeeded, failed, not_run, created_at, start_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)")
          .params(id, operation.name(), (startAt == null ? TicketStatus.CREATED : TicketStatus.SCHEDULED).name(),
              baselineId, planId, externalRef, parametersJson, hosts.size(), timestamp(clock.instant()),
              startAt == null ? null : timestamp(startAt))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("id", "a ticket with id '" + abbreviate(id) + "' already exists");
    }
    if (!hosts.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(hosts.size());
      for (Long hostId : hosts) {
        rows.add(new Object[] {id, Objects.requireNonNull(hostId, "host id"), HostOutcome.State.PENDING.name()});
      }
      named.getJdbcTemplate().batchUpdate(
          "INSERT INTO ticket_hosts (ticket_id, host_id, batch_no, state) VALUES (?, ?, 0, ?)", rows);
    }
    return get(id);
  }

  public TicketRow get(String id) {
    return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(TicketStore::ticket).optional()
        .orElseThrow(() -> new NotFoundException("ticket", id));
  }

  /** The ticket's hosts by batch, then host id; empty for an unknown ticket. */
  public List<TicketHostRow> hosts(String ticketId) {
    return jdbc.sql("SELECT th.host_id, h.name, th.batch_no, th.state, th.error_kind, th.error_message,"
            + " th.compliance_status, th.detail, th.started_at, th.finished_at, th.hook_output"
            + " FROM ticket_hosts th LEFT JOIN hosts h ON h.id = th.host_id"
            + " WHERE th.ticket_id = ? ORDER BY th.batch_no, th.host_id")
        .param(ticketId)
        .query((rs, n) -> new TicketHostRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), instant(rs.getTimestamp(9)),
            instant(rs.getTimestamp(10)), rs.getString(11)))
        .list();
  }

  /** Newest first (created_at descending, then id). */
  public PageResult<TicketRow> list(TicketQuery query, PageRequest page) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (query.status() != null) {
      where.append(" AND status = :status");
      params.put("status", query.status().name());
    }
    if (query.operation() != null) {
      where.append(" AND operation = :operation");
      params.put("operation", query.operation().name());
    }
    if (query.externalRef() != null) {
      where.append(" AND external_ref = :externalRef");
      params.put("externalRef", query.externalRef());
    }
    if (query.createdFrom() != null) {
      where.append(" AND created_at >= :createdFrom");
      params.put("createdFrom", timestamp(query.createdFrom()));
    }
    if (query.createdTo() != null) {
      where.append(" AND created_at < :createdTo");
      params.put("createdTo", timestamp(query.createdTo()));
    }
    Long total = named.queryForObject("SELECT COUNT(*) FROM tickets" + where, params, Long.class);
    params.put("limit", page.size());
    params.put("offset", page.offset());
    List<TicketRow> items = named.query(
        SELECT + where + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset", params, TicketStore::ticket);
    return new PageResult<>(items, page.page(), page.size(), total == null ? 0 : total);
  }

  /**
   * The workflow began: a CREATED ticket becomes RUNNING and keeps the first start time. A ticket
   * that is already RUNNING or PAUSED keeps its status (a late retry never resumes a paused ticket),
   * and a finished ticket is left alone.
   */
  @Transactional
  public void markStarted(String id, Instant at) {
    int n = jdbc.sql("UPDATE tickets SET started_at = COALESCE(started_at, ?),"
            + " status = CASE WHEN status IN ('CREATED', 'SCHEDULED') THEN 'RUNNING' ELSE status END"
            + " WHERE id = ? AND status NOT IN " + FINISHED)
        .params(timestamp(at), id)
        .update();
    if (n == 0) {
      requireExists(id);
    }
  }

  /**
   * The ticket waits for its maintenance window (WAITING, and why), or runs again (null: RUNNING,
   * the reason cleared); a finished ticket keeps its status, whatever arrives late.
   */
  @Transactional
  public void setWaiting(String id, String waitingFor) {
    int n = jdbc.sql("UPDATE tickets SET status = ?, waiting_for = ? WHERE id = ? AND status NOT IN " + FINISHED)
        .params(waitingFor == null ? TicketStatus.RUNNING.name() : TicketStatus.WAITING.name(),
            truncate(waitingFor, MAX_WAITING_FOR), id)
        .update();
    if (n == 0) {
      requireExists(id);
    }
  }

  /** Pauses and resumes; a finished ticket keeps its status, whatever arrives late. */
  @Transactional
  public void setStatus(String id, TicketStatus status) {
    Objects.requireNonNull(status, "status");
    int n = jdbc.sql("UPDATE tickets SET status = ? WHERE id = ? AND status NOT IN " + FINISHED)
        .params(status.name(), id)
        .update();
    if (n == 0) {
      requireExists(id);
    }
  }

  /**
   * Writes each host's outcome (state, batch, error, times; 0 millis = no time) and recounts the
   * ticket's succeeded, failed and not-run hosts from all its host rows, in one transaction. Writing
   * the same outcomes again changes nothing. An outcome of a host that is not in the ticket is
   * ignored (and logged).
   *
   * @return the ticket's operation and the outcomes that finished a host with this call: a host
   *     written finished before (the same call retried) is not among them, so each host's end is
   *     counted once
   */
  @Transactional
  public RecordedOutcomes recordOutcomes(String id, List<HostOutcome> outcomes) {
    // the ticket row's lock orders concurrent writers, so the recount always sees every committed outcome
    String operation = jdbc.sql("SELECT operation FROM tickets WHERE id = ? FOR UPDATE").param(id).query(String.class)
        .optional().orElseThrow(() -> new NotFoundException("ticket", id));
    List<HostOutcome> newlyFinished = new ArrayList<>();
    if (!outcomes.isEmpty()) {
      Map<Long, String> before = new HashMap<>();
      named.query("SELECT host_id, state FROM ticket_hosts WHERE ticket_id = :id AND host_id IN (:hosts)",
          Map.of("id", id, "hosts", outcomes.stream().map(HostOutcome::hostId).distinct().toList()),
          rs -> {
            before.put(rs.getLong("host_id"), rs.getString("state"));
          });
      for (HostOutcome o : outcomes) {
        String was = before.get(o.hostId());
        if (o.state().finished() && was != null && !HostOutcome.State.valueOf(was).finished()) {
          newlyFinished.add(o);
          before.put(o.hostId(), o.state().name());
        }
      }
      List<Object[]> rows = new ArrayList<>(outcomes.size());
      for (HostOutcome o : outcomes) {
        rows.add(new Object[] {o.state().name(), o.batch(), o.errorKind() == null ? null : o.errorKind().name(),
            truncate(o.errorMessage(), MAX_ERROR_MESSAGE),
            o.complianceStatus() == null ? null : o.complianceStatus().name(), truncate(o.detail(), MAX_DETAIL),
            timestamp(o.startedAtMillis()),
            timestamp(o.finishedAtMillis()), truncate(o.hookOutput(), MAX_HOOK_OUTPUT), id, o.hostId()});
      }
      int[] matched = named.getJdbcTemplate().batchUpdate(
          "UPDATE ticket_hosts SET state = ?, batch_no = ?, error_kind = ?, error_message = ?, compliance_status = ?,"
              + " detail = ?, started_at = ?,"
              + " finished_at = ?, hook_output = ? WHERE ticket_id = ? AND host_id = ?",
          rows);
      for (int i = 0; i < matched.length; i++) {
        if (matched[i] == 0) {
          log.warn("ticket {}: outcome of host {} ignored, the host is not in the ticket", id, outcomes.get(i).hostId());
        }
      }
    }
    recount(id);
    return new RecordedOutcomes(Operation.valueOf(operation), List.copyOf(newlyFinished));
  }

  /** What {@link #recordOutcomes} wrote: the ticket's operation, and the hosts this call finished. */
  public record RecordedOutcomes(Operation operation, List<HostOutcome> newlyFinished) {}

  /** Tickets by operation and status, for the operators' gauge: operation, status, count. */
  public record StatusCount(Operation operation, TicketStatus status, long count) {}

  public List<StatusCount> countByOperationAndStatus() {
    return jdbc.sql("SELECT operation, status, COUNT(*) AS n FROM tickets GROUP BY operation, status")
        .query((rs, i) -> new StatusCount(Operation.valueOf(rs.getString("operation")),
            TicketStatus.valueOf(rs.getString("status")), rs.getLong("n")))
        .list();
  }

  /** The ticket's succeeded, failed and not-run counts from all its host rows. */
  private void recount(String id) {
    jdbc.sql("UPDATE tickets t SET"
            + " succeeded = (SELECT COUNT(*) FROM ticket_hosts th WHERE th.ticket_id = t.id AND th.state = ?),"
            + " failed = (SELECT COUNT(*) FROM ticket_hosts th WHERE th.ticket_id = t.id AND th.state = ?),"
            + " not_run = (SELECT COUNT(*) FROM ticket_hosts th WHERE th.ticket_id = t.id AND th.state = ?)"
            + " WHERE t.id = ?")
        .params(HostOutcome.State.SUCCEEDED.name(), HostOutcome.State.FAILED.name(), HostOutcome.State.NOT_RUN.name(), id)
        .update();
  }

  /** The ticket ended: its final status and counts as the workflow reports them, and when. */
  @Transactional
  public void markFinished(String id, TicketResult result, Instant at) {
    int n = jdbc.sql("UPDATE tickets SET status = ?, succeeded = ?, failed = ?, not_run = ?, finished_at = ? WHERE id = ?")
        .params(result.status().name(), result.succeeded(), result.failed(), result.notRun(), timestamp(at), id)
        .update();
    if (n == 0) {
      requireExists(id);
    }
  }

  /**
   * Ends a ticket whose workflow can no longer end it (it failed, timed out, was terminated or is
   * gone): FAILED with the reason, its unfinished hosts NOT_RUN with it, the counts recounted.
   *
   * @return false when the ticket had ended already (its workflow recorded the end first)
   */
  @Transactional
  public boolean markFailed(String id, String reason, Instant at) {
    int n = jdbc.sql("UPDATE tickets SET status = ?, end_reason = ?, finished_at = ? WHERE id = ? AND status NOT IN "
            + FINISHED)
        .params(TicketStatus.FAILED.name(), truncate(reason, MAX_END_REASON), timestamp(at), id).update();
    if (n == 0) {
      return false;
    }
    jdbc.sql("UPDATE ticket_hosts SET state = ?, error_message = ? WHERE ticket_id = ? AND state IN (?, ?)")
        .params(HostOutcome.State.NOT_RUN.name(), truncate("the ticket ended before this host finished: " + reason,
            MAX_ERROR_MESSAGE), id, HostOutcome.State.PENDING.name(), HostOutcome.State.RUNNING.name())
        .update();
    recount(id);
    return true;
  }

  /** Tickets not ended yet, created before {@code before}: the ones whose workflow should still be there. */
  public List<String> unfinishedCreatedBefore(Instant before) {
    return jdbc.sql("SELECT id FROM tickets WHERE status NOT IN " + FINISHED + " AND created_at < ? ORDER BY created_at")
        .param(timestamp(before)).query(String.class).list();
  }

  /**
   * Removes a ticket (when its workflow could not be started) with its host rows, its callback and
   * its idempotency key, in one statement: their foreign keys cascade. Nothing happens if it is gone.
   */
  @Transactional
  public void delete(String id) {
    jdbc.sql("DELETE FROM tickets WHERE id = ?").param(id).update();
  }

  private void requireExists(String id) {
    Integer n = jdbc.sql("SELECT COUNT(*) FROM tickets WHERE id = ?").param(id).query(Integer.class).single();
    if (n == null || n == 0) {
      throw new NotFoundException("ticket", id);
    }
  }

  private static TicketRow ticket(ResultSet rs, int n) throws SQLException {
    return new TicketRow(
        rs.getString("id"),
        Operation.valueOf(rs.getString("operation")),
        TicketStatus.valueOf(rs.getString("status")),
        rs.getObject("baseline_id", Long.class),
        rs.getObject("plan_id", Long.class),
        rs.getString("external_ref"),
        JsonText.read(rs.getString("parameters"), PARAMETERS, "tickets.parameters"),
        rs.getInt("host_count"),
        rs.getInt("succeeded"),
        rs.getInt("failed"),
        rs.getInt("not_run"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("start_at")),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")),
        rs.getString("end_reason"),
        rs.getString("waiting_for"),
        rs.getString("preview") == null ? null : JsonText.read(rs.getString("preview"), PARAMETERS, "tickets.preview"));
  }

  /** Records what a plan's repair was previewed as when it started (JSON, see {@link TicketRow#preview}). */
  @Transactional
  public void setPreview(String id, String previewJson) {
    jdbc.sql("UPDATE tickets SET preview = ? WHERE id = ?").params(previewJson, id).update();
  }

  /** Cuts {@code s} to at most {@code max} chars without splitting a surrogate pair. */
  static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static Timestamp timestamp(Instant at) {
    return at == null ? null : Timestamp.from(at.truncatedTo(ChronoUnit.MILLIS));
  }

  private static Timestamp timestamp(long millis) {
    return millis <= 0 ? null : new Timestamp(millis);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
