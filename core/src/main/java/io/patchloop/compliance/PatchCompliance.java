package io.patchloop.compliance;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.inventory.Advisory;
import java.util.List;
import java.util.Objects;

/**
 * The state of one applicable advisory on one host.
 *
 * @param level the compliance level the baseline gives it; UNSPECIFIED for INSTALLED_REJECTED, null for INSTALLED_OTHER
 * @param approved approved by the baseline's rules or approved-patches list (never when rejected)
 * @param rejected matched by the baseline's rejected patches (by id or by a package-name glob)
 * @param rebootNeeded installed and needing a reboot to take effect (also reported for patches that are not approved)
 * @param packages the advisory's relevant entries (same name and arch installed), in the advisory's order
 */
public record PatchCompliance(
    Advisory advisory,
    PatchState state,
    ComplianceLevel level,
    boolean approved,
    boolean rejected,
    boolean rebootNeeded,
    List<PackageStatus> packages) {

  public PatchCompliance {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(state, "state");
    packages = List.copyOf(packages);
  }
}
