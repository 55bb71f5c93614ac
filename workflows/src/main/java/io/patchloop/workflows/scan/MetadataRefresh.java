package io.patchloop.workflows.scan;

/**
 * When a scan asks the host's package manager to refresh its repository metadata before the
 * advisories are read. Starting dnf or yum costs a Python start-up on every host, so by default it
 * happens only for the repositories whose cached metadata dnf itself would call expired.
 */
public enum MetadataRefresh {
  /** Refresh only the enabled repositories whose cache is older than their {@code metadata_expire} (dnf's own rule). */
  AUTO,
  /** Refresh every enabled repository on every scan, as {@code dnf makecache --refresh} does. */
  ALWAYS,
  /** Never start the package manager: use the cache as it is; a repository with no cache still fails the scan. */
  NEVER;

  /** A request from an older release carries no value: it means the default. */
  public static MetadataRefresh orDefault(MetadataRefresh value) {
    return value == null ? AUTO : value;
  }
}
