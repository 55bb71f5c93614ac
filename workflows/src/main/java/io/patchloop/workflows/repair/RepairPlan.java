package io.patchloop.workflows.repair;

import io.patchloop.compliance.PatchState;
import io.patchloop.rpm.Evr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a repair installs on one host, read from its newest report: every patch the report marks
 * MISSING or FAILED (approved, so never one rejected with BLOCK), each as the exact package
 * versions its advisory names for the packages that are behind. The preview shows the same plan;
 * an agent host gets it as the argument of its install step (built by RepairPlanner).
 *
 * @param patches in report order (advisory id)
 * @param blockedPackageGlobs the baseline's rejected package names and globs when its action is
 *     BLOCK: excluded from every transaction, so no dependency pulls them in either
 */
public record RepairPlan(List<Patch> patches, List<String> blockedPackageGlobs) {

  /**
   * @param packages each package to bring up to the advisory's version
   * @param rebootExpected carries a kernel package, or the advisory suggests a reboot
   */
  public record Patch(String advisoryId, PatchState state, String complianceLevel, List<Target> packages,
      boolean rebootExpected) {

    public List<String> nevras() {
      return packages.stream().map(Target::nevra).toList();
    }
  }

  /** A package at the version an advisory fixes it at. */
  public record Target(String name, String arch, Evr evr) {

    /** name-[epoch:]version-release.arch, as dnf and yum take it. */
    public String nevra() {
      return name + "-" + evr + "." + arch;
    }
  }

  /**
   * The packages of all patches in one transaction: per name and arch the highest version any
   * planned advisory names (a newer one also fixes the older advisory).
   */
  public List<String> combinedNevras() {
    Map<String, Target> best = new LinkedHashMap<>();
    for (Patch p : patches) {
      for (Target t : p.packages()) {
        best.merge(t.name() + "." + t.arch(), t, (x, y) -> y.evr().compareTo(x.evr()) > 0 ? y : x);
      }
    }
    return best.values().stream().map(Target::nevra).toList();
  }
}
