package io.patchloop.inventory;

import io.patchloop.rpm.Evr;

/** A package an advisory fixes, at the version that fixes it. */
public record AdvisoryPackage(String name, Evr evr, String arch) {}
