package io.patchloop.workflows.host;

import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;

/**
 * Why a host's step failed: the one list of kinds a host outcome, a host's {@code lastError} and
 * an activity failure's type can carry. The kind decides whether trying the step again can help;
 * the activity retry options are derived from it ({@link #notRetryableTypes()}), so a new kind
 * cannot be forgotten there.
 */
public enum HostErrorKind {
  /** No TCP connection or SSH handshake (host down, port closed, DNS): may pass. */
  UNREACHABLE(true),
  /** A command or a step did not finish in time: may pass. */
  TIMEOUT(true),
  /** The key was refused, or the key file cannot be read: the same again fails the same way. */
  AUTH_FAILED(false),
  /** The host's key is unknown under STRICT, or changed: never retried, a person must look. */
  HOST_KEY_REFUSED(false),
  /**
   * Another repair holds the host's repair lock (an attempt still installing, or another ticket):
   * may pass once it ends.
   */
  HOST_BUSY(true),
  /** A command exited with an error we cannot work around. */
  COMMAND_FAILED(false),
  /** The host answered, but not in a form we can read. */
  OUTPUT_UNPARSEABLE(false),
  /**
   * An enabled repository gave no usable advisory metadata (none cached, listed but missing,
   * unreadable): a report from what is left could say COMPLIANT falsely, so there is none.
   */
  METADATA_UNAVAILABLE(false),
  /**
   * What a host step would hand back (the inventory the engine needs) is larger than an activity
   * payload may be ({@link ActivityPayloads#MAX_BYTES}): the same host gives the same again.
   */
  INVENTORY_TOO_LARGE(false),
  /** A scan without a baseline, and the host's OS has no default baseline. */
  NO_BASELINE(false),
  /** A repair of a host that has no report (under the ticket's baseline) to plan from. */
  NO_REPORT(false),
  /** A rebooted host did not answer from a later boot within the ticket's reboot timeout. */
  REBOOT_TIMEOUT(false),
  /** The repair ran, but some of its patches did not install (the report names each one's error). */
  PATCHES_FAILED(false),
  /** The ticket's pre-hook exited non-zero or timed out on the host: nothing was installed there. */
  PRE_HOOK_FAILED(false),
  /** The ticket's post-hook exited non-zero or timed out on the host, after the install. */
  POST_HOOK_FAILED(false),
  /** No agent of the host picked the step up in time: it is not connected to Temporal. */
  AGENT_OFFLINE(false),
  /** The host's agent stopped heartbeating mid-step, twice. */
  AGENT_LOST(false),
  /**
   * The platform's database did not answer while it recorded the host's result: retried for
   * minutes (see HostStepOptions.CENTRAL) before the host fails with it.
   */
  DATABASE_UNAVAILABLE(true),
  /** The platform itself failed on the step (an unexpected error; the message says which): may pass. */
  INTERNAL(true);

  private final boolean retryable;

  HostErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The activity failure of this kind: retryable or not as the kind says, typed with its name. */
  public ApplicationFailure failure(String message) {
    return retryable ? ApplicationFailure.newFailure(message, name())
        : ApplicationFailure.newNonRetryableFailure(message, name());
  }

  /** The kinds Temporal must not retry, as the failure types its retry options take. */
  public static String[] notRetryableTypes() {
    return Arrays.stream(values()).filter(k -> !k.retryable).map(Enum::name).toArray(String[]::new);
  }

  /** The kind an activity failure's type names; INTERNAL for a type that is no kind of ours (an unexpected exception). */
  public static HostErrorKind ofType(String type) {
    if (type != null) {
      for (HostErrorKind k : values()) {
        if (k.name().equals(type)) {
          return k;
        }
      }
    }
    return INTERNAL;
  }
}
