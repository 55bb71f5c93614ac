package io.patchloop.workflows.ticket;

/**
 * One host's result in a ticket.
 *
 * @param state SUCCEEDED, FAILED or NOT_RUN (and RUNNING/PENDING only in live progress)
 * @param errorKind for FAILED: UNREACHABLE, AUTH_FAILED, HOST_KEY_REFUSED, ... as the activity reported it
 * @param complianceStatus the host's report status when the host finished: COMPLIANT or NON_COMPLIANT
 * @param detail what was done, for a person: "installed 4 of 5 patches; rebooted", or the step a
 *     running host is in ("rebooting")
 */
public record HostOutcome(
    long hostId,
    int batch,
    String state,
    String errorKind,
    String errorMessage,
    String complianceStatus,
    long startedAtMillis,
    long finishedAtMillis,
    String detail) {

  public static final String PENDING = "PENDING";
  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String NOT_RUN = "NOT_RUN";
}
