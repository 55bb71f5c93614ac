package io.patchloop.workflows.ticket;

/** What a ticket does to each host. */
public enum Operation {
  SCAN,
  REPAIR
}
