package io.patchloop.baselines;

/** An advisory's severity; a missing or unknown severity is NONE. */
public enum PatchSeverity {
  CRITICAL,
  IMPORTANT,
  MODERATE,
  LOW,
  NONE
}
