package io.patchloop.console;

import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostQuery;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.util.StringUtils;

/**
 * The console's ticket form, turned into the API's {@link TicketSpec}, which checks it: hosts picked
 * on the Hosts page or a selector, baseline, batch strategy with its fields, concurrency,
 * suspension threshold, reboot option and timeout, a start time in the browser's zone and a
 * ticketing reference. The form carries an idempotency key of its own, so a double click or a
 * re-sent form starts one ticket, not two.
 */
public class TicketForm {

  private Operation operation = Operation.SCAN;
  private List<Long> hostIds = new ArrayList<>();
  /** Used only when no host is picked: hosts with every one of these key:value tags... */
  private String selectorTags;
  /** ...of this OS family... */
  private OsFamily selectorOs;
  /** ...or every host... */
  private boolean selectorAll;
  /** ...narrowed to hosts whose newest report says this. */
  private Host.ComplianceStatus selectorCompliance;
  private Long baselineId;
  private Integer concurrency = TicketSpec.DEFAULT_CONCURRENCY;
  private BatchSpec.Strategy batchStrategy = BatchSpec.Strategy.NONE;
  /** FIXED: hosts per batch. A size with the strategy left at NONE means FIXED. */
  private Integer batchSize;
  /** PERCENT: share of all hosts per batch; AUTO: largest share of a tag group per batch. */
  private Integer batchPercent;
  /** AUTO: the tag whose groups are never all in one batch. */
  private String batchTagKey;
  private Integer maxFailures;
  private Integer maxFailurePercent;
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

  /** @throws InvalidInputException for what the API's spec cannot even hold (a tag or a time that does not parse) */
  TicketSpec toSpec() {
    return new TicketSpec(operation, hostIds.isEmpty() ? null : hostIds, hostIds.isEmpty() ? selector() : null,
        baselineId, batch(), concurrency, suspension(), startInstant(),
        operation == Operation.REPAIR ? rebootOption : null,
        operation == Operation.REPAIR ? rebootTimeoutSeconds : null, blankToNull(externalRef), null);
  }

  private TicketSpec.Selector selector() {
    boolean anyField = StringUtils.hasText(selectorTags) || selectorOs != null || selectorAll || selectorCompliance != null;
    if (!anyField) {
      return null;
    }
    var tags = StringUtils.hasText(selectorTags)
        ? HostQuery.parseTags(List.of(selectorTags.strip().split("\\s*,\\s*"))) : null;
    return new TicketSpec.Selector(tags, selectorOs, selectorAll ? Boolean.TRUE : null, selectorCompliance);
  }

  private BatchSpec batch() {
    BatchSpec.Strategy strategy = batchStrategy == null ? BatchSpec.Strategy.NONE : batchStrategy;
    if (strategy == BatchSpec.Strategy.NONE && batchSize != null) {
      strategy = BatchSpec.Strategy.FIXED;
    }
    return switch (strategy) {
      case NONE -> null;
      case FIXED -> new BatchSpec(strategy, batchSize, null, null);
      case PERCENT -> new BatchSpec(strategy, null, batchPercent, null);
      case AUTO -> new BatchSpec(strategy, null, batchPercent, blankToNull(batchTagKey));
    };
  }

  private SuspensionSpec suspension() {
    return maxFailures == null && maxFailurePercent == null ? null : new SuspensionSpec(maxFailures, maxFailurePercent);
  }

  private Instant startInstant() {
    if (!StringUtils.hasText(startAt)) {
      return null;
    }
    try {
      ZoneId zoneId = StringUtils.hasText(zone) ? ZoneId.of(zone.strip()) : ZoneOffset.UTC;
      return LocalDateTime.parse(startAt.strip()).atZone(zoneId).toInstant();
    } catch (DateTimeException e) {
      throw new InvalidInputException("startAt", "must be a date and time such as 2026-12-24T02:00");
    }
  }

  private static String blankToNull(String s) {
    return StringUtils.hasText(s) ? s.strip() : null;
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

  public String getSelectorTags() {
    return selectorTags;
  }

  public void setSelectorTags(String selectorTags) {
    this.selectorTags = selectorTags;
  }

  public OsFamily getSelectorOs() {
    return selectorOs;
  }

  public void setSelectorOs(OsFamily selectorOs) {
    this.selectorOs = selectorOs;
  }

  public boolean isSelectorAll() {
    return selectorAll;
  }

  public void setSelectorAll(boolean selectorAll) {
    this.selectorAll = selectorAll;
  }

  public Host.ComplianceStatus getSelectorCompliance() {
    return selectorCompliance;
  }

  public void setSelectorCompliance(Host.ComplianceStatus selectorCompliance) {
    this.selectorCompliance = selectorCompliance;
  }

  public Long getBaselineId() {
    return baselineId;
  }

  public void setBaselineId(Long baselineId) {
    this.baselineId = baselineId;
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
  }

  public BatchSpec.Strategy getBatchStrategy() {
    return batchStrategy;
  }

  public void setBatchStrategy(BatchSpec.Strategy batchStrategy) {
    this.batchStrategy = batchStrategy;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Integer getBatchPercent() {
    return batchPercent;
  }

  public void setBatchPercent(Integer batchPercent) {
    this.batchPercent = batchPercent;
  }

  public String getBatchTagKey() {
    return batchTagKey;
  }

  public void setBatchTagKey(String batchTagKey) {
    this.batchTagKey = batchTagKey;
  }

  public Integer getMaxFailures() {
    return maxFailures;
  }

  public void setMaxFailures(Integer maxFailures) {
    this.maxFailures = maxFailures;
  }

  public Integer getMaxFailurePercent() {
    return maxFailurePercent;
  }

  public void setMaxFailurePercent(Integer maxFailurePercent) {
    this.maxFailurePercent = maxFailurePercent;
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
