package io.patchloop.collect;

import java.util.Optional;

/** The package manager whose configuration and cache we interpret: they differ in defaults and cache layout. */
public enum PackageManagerKind {
  /** dnf 4 (libdnf 0.6x): EL 8/9, openEuler, HCE 2.0. */
  DNF4("dnf"),
  /** dnf 5 (libdnf5). */
  DNF5("dnf5"),
  /** yum 3 (EL 7 and older). */
  YUM("yum");

  private final String label;

  PackageManagerKind(String label) {
    this.label = label;
  }

  /** "dnf", "dnf5" or "yum": the name the collector script reports. */
  public String label() {
    return label;
  }

  public static Optional<PackageManagerKind> fromLabel(String label) {
    for (PackageManagerKind k : values()) {
      if (k.label.equals(label)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
