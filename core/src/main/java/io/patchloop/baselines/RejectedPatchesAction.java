package io.patchloop.baselines;

/** What a rejected patch may still do: come in as a dependency of an approved one, or never be installed. */
public enum RejectedPatchesAction {
  ALLOW_AS_DEPENDENCY,
  BLOCK
}
