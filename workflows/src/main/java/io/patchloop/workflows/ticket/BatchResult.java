package io.patchloop.workflows.ticket;

/** Counts of one batch; the per-host outcomes went to MySQL through TicketRecordActivities. */
public record BatchResult(int succeeded, int failed, int notRun) {

  public static BatchResult empty() {
    return new BatchResult(0, 0, 0);
  }

  public BatchResult plus(BatchResult other) {
    return new BatchResult(succeeded + other.succeeded, failed + other.failed, notRun + other.notRun);
  }
}
