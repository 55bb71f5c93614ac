package io.patchloop.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/** What a failed activity tells a workflow: the error kind and the message its activity wrote. */
public final class ActivityFailures {

  private ActivityFailures() {}

  /** The application failure's type (UNREACHABLE, AUTH_FAILED, ...), or TIMEOUT when the activity itself timed out. */
  public static String kind(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return app.getType();
    }
    if (cause instanceof TimeoutFailure) {
      return "TIMEOUT";
    }
    return cause == null ? "UNKNOWN" : cause.getClass().getSimpleName();
  }

  /** The activity's own message, without Temporal's wrapping. */
  public static String message(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a && a.getCause() != null ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause.getMessage();
  }
}
