package io.patchloop.common;

/** Where a host runs, in the seed product's words: elastic cloud server, container node, bare metal. */
public enum Scenario {
  ECS,
  CCE,
  BMS
}
