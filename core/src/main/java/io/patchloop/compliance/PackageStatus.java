package io.patchloop.compliance;

import io.patchloop.rpm.Evr;

/**
 * One relevant package entry of an advisory on one host.
 *
 * @param installed the highest installed version of this name and arch; null if not installed
 * @param fixed the version the advisory fixes it at
 */
public record PackageStatus(String name, String arch, Evr installed, Evr fixed) {}
