package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.workflows.host.HostErrorKind;
import java.time.Instant;

/**
 * A host's boot as read by the collector and by {@code HostBoot}: three lines, the clock ({@code
 * date +%s}), PID 1's start (mtime of /proc/1) and the uptime in seconds.
 *
 * @param clockBootSeconds now minus uptime
 * @param initStartSeconds PID 1's start
 */
public record BootReading(long clockBootSeconds, long initStartSeconds) {

  /** Ten thousand years: a larger value is not a clock reading (the central check's bound too). */
  private static final long MAX_EPOCH_SECONDS = HostDataLimits.MAX_CLOCK_SECONDS;

  public static BootReading parse(String section) {
    String[] lines = section.strip().split("\n");
    if (lines.length < 3) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "boot time section has " + lines.length + " lines, not 3");
    }
    try {
      long now = Long.parseLong(lines[0].strip());
      long initStart = Long.parseLong(lines[1].strip());
      double uptime = Double.parseDouble(lines[2].strip());
      if (now < 0 || now > MAX_EPOCH_SECONDS || initStart < 0 || initStart > MAX_EPOCH_SECONDS || !(uptime >= 0)) {
        throw new NumberFormatException("out of range");
      }
      // date +%s is truncated, so the clock boot lies in [now - uptime, now + 1 - uptime): take the
      // lower bound, whole. Rounding up (the truncated uptime) could land on the second after the
      // boot and hide a package installed in it, a pending reboot dnf itself reports.
      return new BootReading(Math.max(0, now - (long) Math.ceil(Math.min(uptime, now))), initStart);
    } catch (NumberFormatException e) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "boot time section is not plausible numbers: "
          + section.strip());
    }
  }

  /** As dnf needs-restarting computes it: the later of PID 1's start and now minus uptime. */
  public Instant bootTime() {
    return Instant.ofEpochSecond(Math.max(initStartSeconds, clockBootSeconds));
  }
}
