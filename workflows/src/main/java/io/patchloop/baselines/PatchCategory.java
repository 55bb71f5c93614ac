package io.patchloop.baselines;

/** An advisory's type in updateinfo.xml; anything else there is treated as unspecified and matches only "All". */
public enum PatchCategory {
  SECURITY,
  BUGFIX,
  ENHANCEMENT,
  NEWPACKAGE
}
