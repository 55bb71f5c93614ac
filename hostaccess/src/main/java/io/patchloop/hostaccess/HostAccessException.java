package io.patchloop.hostaccess;

import io.patchloop.workflows.host.HostErrorKind;
import io.temporal.failure.ApplicationFailure;

/** A failure to work on a host, with a message meant for the person reading the host's record. */
public class HostAccessException extends RuntimeException {

  private final HostErrorKind kind;

  public HostAccessException(HostErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public HostAccessException(HostErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public HostErrorKind kind() {
    return kind;
  }

  /**
   * The failure a host step's activity ends with: typed by the error kind; transient kinds may be
   * retried by the workflow's retry policy, the others fail the host at once.
   */
  public ApplicationFailure toActivityFailure() {
    return kind.failure(getMessage());
  }
}
