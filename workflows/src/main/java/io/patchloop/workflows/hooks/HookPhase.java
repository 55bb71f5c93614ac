package io.patchloop.workflows.hooks;

import io.patchloop.workflows.host.HostErrorKind;

/** When a host hook runs: before the install, or after it (and after the reboot and scan again, when there is one). */
public enum HookPhase {
  PRE("pre", HostErrorKind.PRE_HOOK_FAILED),
  POST("post", HostErrorKind.POST_HOOK_FAILED);

  private final String argument;
  private final HostErrorKind failure;

  HookPhase(String argument, HostErrorKind failure) {
    this.argument = argument;
    this.failure = failure;
  }

  /** What the script gets as {@code $1}. */
  public String argument() {
    return argument;
  }

  /** The kind a host fails with when this phase's hook does not exit 0. */
  public HostErrorKind failure() {
    return failure;
  }
}
