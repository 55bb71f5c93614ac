package io.patchloop.repair;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.reports.HostReport;
import io.patchloop.rpm.Evr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a repair installs on one host, read from its newest report: every patch the report marks
 * MISSING or FAILED (approved, so never one rejected with BLOCK), each as the exact package
 * versions its advisory names for the packages that are behind. The preview shows the same plan.
 *
 * @param patches in report order (advisory id)
 * @param blockedPackageGlobs the baseline's rejected package names and globs when its action is
 *     BLOCK: excluded from every transaction, so no dependency pulls them in either
 */
public record RepairPlan(List<Patch> patches, List<String> blockedPackageGlobs) {

  /** A rejected entry usable as a package-name exclude: no ':' (advisory ids like RHSA-2024:1234 have one). */
  static final Pattern PACKAGE_GLOB = Pattern.compile("[A-Za-z0-9_.*?+][A-Za-z0-9_.*?+-]{0,127}");

  /**
   * @param packages each package to bring up to the advisory's version
   * @param rebootExpected carries a kernel package, or the advisory suggests a reboot
   */
  public record Patch(String advisoryId, String state, String complianceLevel, List<Target> packages,
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

  public static RepairPlan of(HostReport report, Baseline baseline) {
    List<Patch> patches = new ArrayList<>();
    for (HostReport.Patch p : report.patches()) {
      if (!p.state().equals("MISSING") && !p.state().equals("FAILED")) {
        continue;
      }
      List<Target> targets = new ArrayList<>();
      boolean kernel = false;
      for (HostReport.Package pkg : p.packages()) {
        if (pkg.installed() != null && Evr.parse(pkg.installed()).compareTo(Evr.parse(pkg.fixed())) >= 0) {
          continue; // this entry is already at the advisory's version; another one is behind
        }
        targets.add(new Target(pkg.name(), pkg.arch(), Evr.parse(pkg.fixed())));
        kernel |= pkg.name().equals("kernel") || pkg.name().startsWith("kernel-");
      }
      patches.add(new Patch(p.advisoryId(), p.state(), p.complianceLevel(), List.copyOf(targets),
          kernel || p.rebootSuggested()));
    }
    List<String> blocked = new ArrayList<>();
    if (baseline.rejectedPatchesAction() == RejectedPatchesAction.BLOCK && baseline.rejectedPatches() != null) {
      for (String r : baseline.rejectedPatches()) {
        if (PACKAGE_GLOB.matcher(r).matches()) {
          blocked.add(r);
        }
      }
    }
    return new RepairPlan(List.copyOf(patches), List.copyOf(blocked));
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

  public boolean isEmpty() {
    return patches.isEmpty();
  }
}
