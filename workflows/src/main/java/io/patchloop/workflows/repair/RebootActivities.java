package io.patchloop.workflows.repair;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * A host's reboot, in two steps so that a retry never reboots a host twice: {@link #requestReboot}
 * reads the host's boot mark and asks it to reboot; {@link #awaitReboot} waits (and may be retried
 * safely) until the host answers again with a newer boot.
 */
@ActivityInterface
public interface RebootActivities {

  /** @return the boot mark from before the reboot */
  @ActivityMethod
  BootMark requestReboot(long hostId);

  /**
   * Polls the host until it answers with another boot than {@code before}.
   *
   * @return the new boot mark
   * @throws io.temporal.failure.ApplicationFailure REBOOT_TIMEOUT when the deadline passes first
   */
  @ActivityMethod
  BootMark awaitReboot(AwaitReboot request);
}
