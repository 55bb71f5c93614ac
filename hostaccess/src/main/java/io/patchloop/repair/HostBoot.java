package io.patchloop.repair;

import io.patchloop.collect.BootReading;
import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.BootMark;
import java.time.Duration;
import java.util.function.Consumer;

/** Reading a host's boot and asking it to reboot, over any {@link HostSession} (SSH or the agent's own). */
public final class HostBoot {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** Boot id (absent on some kernels: "-"), then what {@link BootReading} reads. */
  static final ShellCommand READ_BOOT = ShellCommand.constant(
      "cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo -; date +%s; stat -c %Y /proc/1;"
          + " cut -d' ' -f1 /proc/uptime");
  /** Started detached and a moment late, so the command (and an agent's answer) returns before the host goes down. */
  static final ShellCommand REBOOT = ShellCommand.constant(
      "command -v reboot >/dev/null 2>&1 || { echo 'the host has no reboot command' >&2; exit 127; };"
          + " nohup sh -c 'sleep 2; reboot' </dev/null >/dev/null 2>&1 &");

  private HostBoot() {}

  public static BootMark read(HostSession session) {
    CommandResult r = session.run(READ_BOOT, COMMAND_TIMEOUT);
    String out = r.stdout().strip();
    int newline = out.indexOf('\n');
    if (r.exitStatus() != 0 || newline < 0) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "cannot read the host's boot: " + r.errorExcerpt());
    }
    String bootId = out.substring(0, newline).strip();
    BootReading boot = BootReading.parse(out.substring(newline + 1));
    BootMark mark = new BootMark(bootId.equals("-") ? null : bootId, boot.bootTime().getEpochSecond(),
        boot.initStartSeconds(), boot.clockBootSeconds());
    if (!HostDataLimits.plausible(mark)) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the host's boot id is not one a kernel gives: "
          + HostDataLimits.hostText(bootId, 80));
    }
    return mark;
  }

  /**
   * Asks the host to reboot, once: a retry after an attempt that may have got as far as the
   * reboot (the worker died, the answer was lost) first compares the host's boot with the mark
   * that attempt recorded, and does not reboot a host that already rebooted.
   *
   * @param earlierAttempt the boot mark an earlier attempt recorded before it asked, or null
   * @param remember records the mark before the reboot is asked for, for a later attempt
   * @return the boot mark from before the reboot
   */
  public static BootMark requestReboot(HostSession session, BootMark earlierAttempt, Consumer<BootMark> remember) {
    BootMark now = read(session);
    if (earlierAttempt != null && now.isLaterBootThan(earlierAttempt)) {
      return earlierAttempt;
    }
    remember.accept(now);
    CommandResult r = session.run(REBOOT, COMMAND_TIMEOUT);
    if (r.exitStatus() != 0) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "reboot refused: " + r.errorExcerpt());
    }
    return now;
  }
}
