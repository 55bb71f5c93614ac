package io.patchloop.workflows.hooks;

/**
 * The hooks a repair ticket runs around each host; either may be null.
 *
 * @param pre runs before the install; a failure leaves the host's packages untouched
 * @param post runs after the install (and the reboot and scan again, when there is one)
 */
public record TicketHooks(HostHook pre, HostHook post) {

  /** Null when neither is set, so a ticket without hooks carries nothing. */
  public static TicketHooks of(HostHook pre, HostHook post) {
    return pre == null && post == null ? null : new TicketHooks(pre, post);
  }
}
