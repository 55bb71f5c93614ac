package io.patchloop.workflows.repair;

/**
 * Which boot a host is in. A host rebooted when its boot id changed or its boot time moved
 * forward; either alone is enough (containers and the lab share the kernel's boot id but not the
 * boot time).
 *
 * @param bootTimeSeconds epoch seconds, computed like dnf needs-restarting: the later of PID 1's
 *     start and now minus uptime
 */
public record BootMark(String bootId, long bootTimeSeconds) {

  /** Boot times read in one boot differ by up to a second (whole-second clock minus fractional uptime). */
  static final long JITTER_SECONDS = 2;

  public boolean isLaterBootThan(BootMark before) {
    return bootTimeSeconds > before.bootTimeSeconds + JITTER_SECONDS
        || (bootId != null && before.bootId != null && !bootId.equals(before.bootId));
  }
}
