package io.patchloop.hostaccess;

/** Opens sessions on hosts. SSH today; an agent on a per-host task queue is the other way in. */
public interface HostAccess {

  /** @throws HostAccessException UNREACHABLE, AUTH_FAILED or HOST_KEY_REFUSED */
  HostSession open(HostTarget target);
}
