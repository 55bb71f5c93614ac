package io.patchloop.inventory;

import io.patchloop.rpm.Evr;
import java.time.Instant;

/** One installed package as the host's package database reports it. */
public record InstalledPackage(String name, Evr evr, String arch, Instant installedAt) {}
