package io.patchloop.console;

import io.patchloop.common.InvalidInputException;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.Operation;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The console's ticket form, turned into the API's {@link TicketSpec}, which checks it: hosts picked
 * on the Hosts page or a selector, baseline, batch strategy with its fields, concurrency,
 * suspension threshold, metadata refresh, reboot option and timeout, a start time in the browser's zone and a
 * ticketing reference. The form carries an idempotency key of its own, so a double click or a
 * re-sent form starts one ticket, not two.
 */
public class TicketForm extends HostRunForm {

  private Operation operation = Operation.SCAN;
  private List<Long> hostIds = new ArrayList<>();
  private RebootOption rebootOption = RebootOption.NO_REBOOT;
  private Integer rebootTimeoutSeconds;
  /** A datetime-local value (no zone), read in {@link #zone}: the browser's own. */
  private String startAt;
  /** The browser's IANA zone, filled in by console.js; UTC without it. */
  private String zone;
  private String externalRef;
  /** A REPAIR starts only once its preview was shown and confirmed. */
  private boolean confirmed;
  private String formKey = "console-" + UUID.randomUUID();

  /** Hosts picked by id, else the selector. @throws InvalidInputException for a start time that does not parse */
  TicketSpec toSpec() {
    boolean picked = !hostIds.isEmpty();
    return new TicketSpec(operation, picked ? hostIds : null, !picked && hasSelector() ? selector() : null,
        getBaselineId(), batch(), getConcurrency(), suspension(), startInstant(),
        operation == Operation.REPAIR ? rebootOption : null,
        operation == Operation.REPAIR ? rebootTimeoutSeconds : null, blank(externalRef) ? null : externalRef.strip(),
        null, getMetadataRefresh());
  }

  private Instant startInstant() {
    if (blank(startAt)) {
      return null;
    }
    try {
      ZoneId zoneId = blank(zone) ? ZoneOffset.UTC : ZoneId.of(zone.strip());
      return LocalDateTime.parse(startAt.strip()).atZone(zoneId).toInstant();
    } catch (DateTimeException e) {
      throw new InvalidInputException("startAt", "must be a date and time such as 2026-12-24T02:00");
    }
  }

  public Operation getOperation() {
    return operation;
  }

  public void setOperation(Operation operation) {
    this.operation = operation;
  }

  public List<Long> getHostIds() {
    return hostIds;
  }

  public void setHostIds(List<Long> hostIds) {
    this.hostIds = hostIds == null ? new ArrayList<>() : hostIds;
  }

  public RebootOption getRebootOption() {
    return rebootOption;
  }

  public void setRebootOption(RebootOption rebootOption) {
    this.rebootOption = rebootOption;
  }

  public Integer getRebootTimeoutSeconds() {
    return rebootTimeoutSeconds;
  }

  public void setRebootTimeoutSeconds(Integer rebootTimeoutSeconds) {
    this.rebootTimeoutSeconds = rebootTimeoutSeconds;
  }

  public String getStartAt() {
    return startAt;
  }

  public void setStartAt(String startAt) {
    this.startAt = startAt;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public String getExternalRef() {
    return externalRef;
  }

  public void setExternalRef(String externalRef) {
    this.externalRef = externalRef;
  }

  public boolean isConfirmed() {
    return confirmed;
  }

  public void setConfirmed(boolean confirmed) {
    this.confirmed = confirmed;
  }

  public String getFormKey() {
    return formKey;
  }

  public void setFormKey(String formKey) {
    this.formKey = formKey;
  }
}
