package io.patchloop.workflows.repair;

/**
 * Which boot a host is in. A host rebooted when its boot id changed (a real kernel boot), or,
 * where the boot id cannot tell (containers and the lab share the kernel's boot id), when both its
 * init's start and the clock's idea of the boot moved forward.
 *
 * <p>Both, because each alone moves without a reboot: the clock's boot ({@code now - uptime})
 * jumps when the wall clock is stepped (NTP, a resumed virtual machine; seen here: 6 s), and
 * PID 1's start (the mtime of {@code /proc/1}) when procfs looks the inode up afresh.
 *
 * @param bootTimeSeconds epoch seconds, computed like dnf needs-restarting: the later of PID 1's
 *     start and now minus uptime
 * @param initStartSeconds PID 1's start (mtime of /proc/1); 0 in marks of an older release
 * @param clockBootSeconds now minus uptime; 0 in marks of an older release
 */
public record BootMark(String bootId, long bootTimeSeconds, long initStartSeconds, long clockBootSeconds) {

  /** Boot times read in one boot differ by up to a second (whole-second clock minus fractional uptime). */
  static final long JITTER_SECONDS = 2;

  /** A mark of an older release, or of a step that reads only dnf's boot time. */
  public BootMark(String bootId, long bootTimeSeconds) {
    this(bootId, bootTimeSeconds, 0, 0);
  }

  public boolean isLaterBootThan(BootMark before) {
    if (bootId != null && before.bootId != null && !bootId.equals(before.bootId)) {
      return true;
    }
    if (hasParts() && before.hasParts()) {
      return initStartSeconds > before.initStartSeconds + JITTER_SECONDS
          && clockBootSeconds > before.clockBootSeconds + JITTER_SECONDS;
    }
    return bootTimeSeconds > before.bootTimeSeconds + JITTER_SECONDS;
  }

  private boolean hasParts() {
    return initStartSeconds > 0 && clockBootSeconds > 0;
  }
}
