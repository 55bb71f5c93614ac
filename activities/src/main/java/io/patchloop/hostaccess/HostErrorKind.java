package io.patchloop.hostaccess;

/** Why work on a host failed; the kind decides whether trying again can help. */
public enum HostErrorKind {
  /** No TCP connection or SSH handshake (host down, port closed, DNS): may pass. */
  UNREACHABLE(true),
  /** The command did not finish in time: may pass. */
  TIMEOUT(true),
  /** The key was refused, or the key file cannot be read: the same again fails the same way. */
  AUTH_FAILED(false),
  /** The host's key is unknown under STRICT, or changed: never retried, a person must look. */
  HOST_KEY_REFUSED(false),
  /** A command exited with an error we cannot work around. */
  COMMAND_FAILED(false),
  /** The host answered, but not in a form we can read. */
  OUTPUT_UNPARSEABLE(false);

  private final boolean transientFailure;

  HostErrorKind(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  public boolean retryable() {
    return transientFailure;
  }
}
