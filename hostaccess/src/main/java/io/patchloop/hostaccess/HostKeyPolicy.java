package io.patchloop.hostaccess;

/** What to do with a host key Patchloop has not seen before. A changed key is refused under both. */
public enum HostKeyPolicy {
  /** An unknown key is refused: keys must be registered beforehand. */
  STRICT,
  /** The first key seen is recorded and required from then on, like ssh's accept-new. */
  TRUST_ON_FIRST_USE
}
