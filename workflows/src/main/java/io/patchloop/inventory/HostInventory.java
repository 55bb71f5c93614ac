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
    Long metadataAgeSeconds) {}
