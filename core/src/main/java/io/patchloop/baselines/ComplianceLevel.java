package io.patchloop.baselines;

/** How much a missing approved patch matters, most severe first (declaration order is used to pick the most severe). */
public enum ComplianceLevel {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  INFORMATIONAL,
  UNSPECIFIED;

  public ComplianceLevel mostSevere(ComplianceLevel other) {
    return other == null || ordinal() <= other.ordinal() ? this : other;
  }
}
