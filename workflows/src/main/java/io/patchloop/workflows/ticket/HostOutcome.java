package io.patchloop.workflows.ticket;

import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.workflows.host.HostErrorKind;

/**
 * One host's result in a ticket. Built by the named factories below, one per state, so a reader
 * never has to count positional nulls.
 *
 * @param errorKind for FAILED (and NOT_RUN: null) the kind of the failure
 * @param complianceStatus the host's report status when the host finished
 * @param detail what was done, for a person: "installed 4 of 5 patches; rebooted", or the step a
 *     running host is in ("rebooting")
 * @param hookOutput what the ticket's hooks printed on this host, each run headed by how it ended
 *     ("pre-hook drain@2 exited 0 in 1.3 s"); null when the ticket has no hooks
 */
public record HostOutcome(
    long hostId,
    int batch,
    State state,
    HostErrorKind errorKind,
    String errorMessage,
    ComplianceStatus complianceStatus,
    long startedAtMillis,
    long finishedAtMillis,
    String detail,
    String hookOutput) {

  public HostOutcome(long hostId, int batch, State state, HostErrorKind errorKind, String errorMessage,
      ComplianceStatus complianceStatus, long startedAtMillis, long finishedAtMillis, String detail) {
    this(hostId, batch, state, errorKind, errorMessage, complianceStatus, startedAtMillis, finishedAtMillis, detail,
        null);
  }

  /** This outcome with what the hooks printed; null or empty output leaves it as it is. */
  public HostOutcome withHookOutput(String output) {
    return output == null || output.isEmpty() ? this : new HostOutcome(hostId, batch, state, errorKind, errorMessage,
        complianceStatus, startedAtMillis, finishedAtMillis, detail, output);
  }

  /** SUCCEEDED, FAILED or NOT_RUN when the ticket ends; PENDING and RUNNING only in live progress. */
  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    NOT_RUN;

    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == NOT_RUN;
    }
  }

  public static HostOutcome pending(long hostId, int batch) {
    return new HostOutcome(hostId, batch, State.PENDING, null, null, null, 0, 0, null);
  }

  /** @param step what the host is doing now, or null */
  public static HostOutcome running(long hostId, int batch, long startedAt, String step) {
    return new HostOutcome(hostId, batch, State.RUNNING, null, null, null, startedAt, 0, step);
  }

  public static HostOutcome succeeded(long hostId, int batch, ComplianceStatus status, long startedAt,
      long finishedAt, String detail) {
    return new HostOutcome(hostId, batch, State.SUCCEEDED, null, null, status, startedAt, finishedAt, detail);
  }

  /** @param status the report's status if the host got one before failing, else null */
  public static HostOutcome failed(long hostId, int batch, HostErrorKind kind, String message,
      ComplianceStatus status, long startedAt, long finishedAt, String detail) {
    return new HostOutcome(hostId, batch, State.FAILED, kind, message, status, startedAt, finishedAt, detail);
  }

  /** @param batchStarted whether the host's batch had started (the batch stopped) or not (the ticket stopped first) */
  public static HostOutcome notRun(long hostId, int batch, NotRunReason reason, boolean batchStarted) {
    return new HostOutcome(hostId, batch, State.NOT_RUN, null, reason.text(batchStarted), null, 0, 0, null);
  }

  /** Why a host of a ticket never started; the ticket and the batch workflows say it in these words. */
  public enum NotRunReason {
    CANCELLED("the ticket was cancelled before this host"),
    SUSPENDED("the ticket's suspension threshold was reached before this host"),
    WINDOW_CLOSED("the ticket's maintenance window closed before this host"),
    BATCH_HOOK_FAILED("the ticket's batch hook did not answer 2xx before this host");

    private final String before;

    NotRunReason(String before) {
      this.before = before;
    }

    public static NotRunReason of(boolean cancelled) {
      return cancelled ? CANCELLED : SUSPENDED;
    }

    String text(boolean batchStarted) {
      return before + (batchStarted ? " started" : "'s batch started");
    }
  }
}
