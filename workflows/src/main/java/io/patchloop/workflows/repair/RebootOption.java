package io.patchloop.workflows.repair;

/** What a repair does when an installed patch needs a reboot. */
public enum RebootOption {
  /** Leave the host running; its patches show INSTALLED_PENDING_REBOOT until someone reboots it. */
  NO_REBOOT,
  /** Reboot the host, wait for it to come back with a new boot, then scan it again. */
  REBOOT_IF_NEEDED
}
