package io.patchloop.plans;

import io.patchloop.common.Problems;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.plan.Cron;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

/**
 * An inspection plan as the API takes it: a SCAN ticket's hosts and settings, and when to run it.
 *
 * @param cron five fields, e.g. {@code 0 2 * * *} for 02:00 every night
 * @param timeZone an IANA zone such as {@code Asia/Shanghai}; default UTC
 * @param metadataRefresh the plan's tickets' {@link TicketSpec#metadataRefresh()}; default AUTO
 * @param overlapPolicy SKIP (default): no new ticket while the previous one runs; ALLOW
 */
public record PlanSpec(
    String name,
    String cron,
    String timeZone,
    TicketSpec.Selector selector,
    Long baselineId,
    BatchSpec batch,
    Integer concurrency,
    SuspensionSpec suspension,
    MetadataRefresh metadataRefresh,
    String overlapPolicy,
    Boolean paused) {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");
  /** As wide as the stored columns. */
  static final int MAX_CRON_LENGTH = 128;
  static final int MAX_TIME_ZONE_LENGTH = 64;

  public PlanSpec normalized() {
    return new PlanSpec(name, cron == null ? null : cron.trim(), timeZone == null ? "UTC" : timeZone, selector,
        baselineId, batch, concurrency, suspension, MetadataRefresh.orDefault(metadataRefresh),
        overlapPolicy == null ? PlanSchedule.SKIP : overlapPolicy, Boolean.TRUE.equals(paused));
  }

  /** Checks what is the plan's own; the ticket part is checked as a ticket would be. */
  Problems validate() {
    Problems problems = new Problems();
    problems.matches("name", name, NAME, "must be 1-128 letters, digits, spaces, '.', '_' or '-'");
    ZoneId zone = null;
    if (problems.maxLength("timeZone", timeZone, MAX_TIME_ZONE_LENGTH)) {
      try {
        zone = ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        problems.add("timeZone", "is not a time zone; use an IANA name such as Asia/Shanghai or UTC");
      }
    }
    if (problems.required("cron", cron) && problems.maxLength("cron", cron, MAX_CRON_LENGTH)) {
      try {
        Cron parsed = Cron.parse(cron);
        if (zone != null) {
          parsed.next(ZonedDateTime.now(zone), zone); // "0 0 31 2 *" parses but never fires
        }
      } catch (IllegalArgumentException e) {
        problems.add("cron", e.getMessage());
      }
    }
    if (!PlanSchedule.SKIP.equals(overlapPolicy) && !PlanSchedule.ALLOW.equals(overlapPolicy)) {
      problems.add("overlapPolicy", "must be one of [SKIP, ALLOW]");
    }
    problems.required("selector", selector);
    return problems;
  }

  /** The SCAN ticket this plan starts. */
  public TicketSpec ticket() {
    return new TicketSpec(Operation.SCAN, null, selector, baselineId, batch, concurrency, suspension, null, null,
        null, null, null, metadataRefresh);
  }
}
