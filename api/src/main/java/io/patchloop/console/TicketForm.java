package io.patchloop.console;

import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The console's ticket form: the few settings a person picks most (hosts, baseline, concurrency,
 * batch size, reboot option), turned into the API's {@link TicketSpec}, which checks them. The
 * form carries an idempotency key of its own, so a double click or a re-sent form starts one
 * ticket, not two.
 */
public class TicketForm {

  private Operation operation = Operation.SCAN;
  private List<Long> hostIds = new ArrayList<>();
  private Long baselineId;
  private Integer concurrency = TicketSpec.DEFAULT_CONCURRENCY;
  /** Hosts per batch; empty: one batch with every host. */
  private Integer batchSize;
  private RebootOption rebootOption = RebootOption.NO_REBOOT;
  /** A REPAIR starts only once its preview was shown and confirmed. */
  private boolean confirmed;
  private String formKey = "console-" + UUID.randomUUID();

  TicketSpec toSpec() {
    BatchSpec batch = batchSize == null ? null : new BatchSpec(BatchSpec.Strategy.FIXED, batchSize, null, null);
    return new TicketSpec(operation, hostIds, null, baselineId, batch, concurrency, null, null,
        operation == Operation.REPAIR ? rebootOption : null, null, null, null);
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

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public RebootOption getRebootOption() {
    return rebootOption;
  }

  public void setRebootOption(RebootOption rebootOption) {
    this.rebootOption = rebootOption;
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
