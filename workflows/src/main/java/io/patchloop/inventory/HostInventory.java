package io.patchloop.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a collector read from one host: everything the compliance engine needs, nothing it has to
 * fetch itself.
 *
 * @param product the host's product as baselines name it, e.g. "HCE 2.0", "CentOS 7", "openEuler 22.03"
 * @param runningKernel {@code uname -r}, e.g. 5.10.0-60.18.0.50.oe2203.x86_64
 * @param bootTime when the host last booted (as dnf needs-restarting computes it)
 * @param kernelPackageNames names of installed packages that provide installonlypkg(kernel), e.g. kernel, kernel-core
 * @param advisories the advisories that concern installed packages, installed and available
 * @param needsRestarting what {@code needs-restarting -r} said (true: a reboot is needed), null where it could not run
 * @param metadataAgeSeconds how old the oldest enabled repository's cached metadata was, by the
 *     host's clock, when it was read; null when unknown (an agent of an older release)
 * @param catalogChecksums only from an agent that was told which updateinfo files the platform's
 *     catalog holds: the checksums of the files it did not read, whose advisories are to be added
 *     centrally from the catalog (to the installed packages, which it therefore sends whole); null
 *     or empty for every other inventory (the SSH path, an agent of an older release, a resolved one)
 */
public record HostInventory(
    String osId,
    String osVersion,
    String product,
    String runningKernel,
    Instant bootTime,
    List<InstalledPackage> packages,
    Set<String> kernelPackageNames,
    List<Advisory> advisories,
    Boolean needsRestarting,
    Long metadataAgeSeconds,
    List<String> catalogChecksums) {

  /** An inventory with all its advisories in it (nothing left to add from the catalog). */
  public HostInventory(String osId, String osVersion, String product, String runningKernel, Instant bootTime,
      List<InstalledPackage> packages, Set<String> kernelPackageNames, List<Advisory> advisories,
      Boolean needsRestarting, Long metadataAgeSeconds) {
    this(osId, osVersion, product, runningKernel, bootTime, packages, kernelPackageNames, advisories, needsRestarting,
        metadataAgeSeconds, null);
  }

  /** Whether advisories are still to be added from the catalog ({@link #catalogChecksums}). */
  public boolean awaitsCatalogAdvisories() {
    return catalogChecksums != null && !catalogChecksums.isEmpty();
  }
}
