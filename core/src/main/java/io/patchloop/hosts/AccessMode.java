package io.patchloop.hosts;

/** How Patchloop reaches a host's commands. */
public enum AccessMode {
  /** From the central workers over SSH, with the host's key or stored credential. */
  SSH,
  /** Through the Patchloop agent on the host, which connects out to Temporal: no inbound connection at all. */
  AGENT
}
