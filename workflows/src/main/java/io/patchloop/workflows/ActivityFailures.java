package io.patchloop.workflows;

import io.patchloop.inventory.HostDataLimits;
import io.patchloop.workflows.host.HostErrorKind;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/** What a failed activity tells a workflow: the error kind and the message its activity wrote. */
public final class ActivityFailures {

  private ActivityFailures() {}

  /**
   * The application failure's type as a kind (UNREACHABLE, AUTH_FAILED, ...), TIMEOUT when the
   * activity itself timed out, INTERNAL for anything else (an unexpected exception).
   */
  public static HostErrorKind kind(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return HostErrorKind.ofType(app.getType());
    }
    if (cause instanceof TimeoutFailure) {
      return HostErrorKind.TIMEOUT;
    }
    return HostErrorKind.INTERNAL;
  }

  /**
   * The activity's own message, without Temporal's wrapping, as a host's failure is kept ({@link
   * HostDataLimits#message}: an agent's failure is its own words, of any length).
   */
  public static String message(Exception failure) {
    Throwable cause = cause(failure);
    return HostDataLimits.message(cause instanceof ApplicationFailure app ? app.getOriginalMessage() : cause.getMessage());
  }

  /**
   * A host step's failure for the person reading the host's outcome: the activity's message, led
   * by the failure's type when that is no {@link HostErrorKind} (an unexpected exception, whose
   * class says what went wrong).
   */
  public static String describe(Exception failure) {
    Throwable cause = cause(failure);
    String message = message(failure);
    if (cause instanceof ApplicationFailure app && app.getType() != null
        && kind(failure) == HostErrorKind.INTERNAL && !app.getType().equals(HostErrorKind.INTERNAL.name())) {
      return HostDataLimits.message(HostDataLimits.hostText(app.getType(), 128) + ": " + message);
    }
    return message;
  }

  private static Throwable cause(Exception failure) {
    return failure instanceof ActivityFailure a && a.getCause() != null ? a.getCause() : failure;
  }
}
