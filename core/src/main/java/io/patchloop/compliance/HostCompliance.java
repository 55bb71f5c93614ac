package io.patchloop.compliance;

import io.patchloop.baselines.ComplianceLevel;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compliance of one host with one baseline at one time.
 *
 * @param patches the reported (applicable and installed, or approved and missing) advisories, ordered by advisory id
 * @param countsByState every state, 0 where none
 * @param countsByLevel every level with every state, 0 where none; patches without a level (INSTALLED_OTHER) are not counted
 */
public record HostCompliance(
    ComplianceStatus status,
    List<PatchCompliance> patches,
    Map<PatchState, Integer> countsByState,
    Map<ComplianceLevel, Map<PatchState, Integer>> countsByLevel) {

  public HostCompliance {
    Objects.requireNonNull(status, "status");
    patches = List.copyOf(patches);
    Objects.requireNonNull(countsByState, "countsByState");
    Objects.requireNonNull(countsByLevel, "countsByLevel");
  }
}
