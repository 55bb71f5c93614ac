package io.patchloop.workflows.repair;

/** What a repair does when an installed patch needs a reboot. */
public enum RebootOption {
  /** Leave the host running; its patches show INSTALLED_PENDING_REBOOT until someone reboots it. */
  NO_REBOOT,
  /** Reboot the host, wait for it to come back with a new boot, then scan it again. */
  REBOOT_IF_NEEDED;

  /** How long a rebooted host may take to answer from its new boot when the ticket does not say. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 600;
  /** The longest reboot wait a ticket may ask for; an agent's own wait for a boot also ends there. */
  public static final int MAX_TIMEOUT_SECONDS = 7200;
}
