package io.patchloop.compliance;

/** A host's overall compliance with its baseline: NON_COMPLIANT when any reported patch is in a non-compliant state. */
public enum ComplianceStatus {
  COMPLIANT,
  NON_COMPLIANT
}
