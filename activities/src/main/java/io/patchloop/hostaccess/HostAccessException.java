package io.patchloop.hostaccess;

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
}
