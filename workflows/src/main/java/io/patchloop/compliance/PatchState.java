package io.patchloop.compliance;

/** The state of an applicable advisory on a host (COC's words in the comments; docs/COMPLIANCE.md#patch-states). */
public enum PatchState {
  /** Compliant (installed): approved and installed, no reboot needed. */
  INSTALLED(true),
  /** Compliant (non-baseline patches installed): installed, not approved, or rejected with ALLOW_AS_DEPENDENCY. */
  INSTALLED_OTHER(true),
  /** Non-compliant (installed and to be restarted): approved, installed, needs a reboot. */
  INSTALLED_PENDING_REBOOT(false),
  /** Non-compliant (rejected): rejected with BLOCK, and installed. */
  INSTALLED_REJECTED(false),
  /** Non-compliant (to be repaired): approved and missing. */
  MISSING(false),
  /** Non-compliant (repair failed): approved, missing, and the newest repair tried it and failed. */
  FAILED(false);

  private final boolean compliant;

  PatchState(boolean compliant) {
    this.compliant = compliant;
  }

  public boolean compliant() {
    return compliant;
  }
}
