package io.patchloop.reports;

/** Something a person should know about a report whose patch states are still sound. */
public enum ReportWarning {
  /**
   * The advisory metadata it was made from is older than {@code patchloop.scan.max-metadata-age}
   * (the repositories could not be reached for a while): advisories published since are missing
   * from it. {@code metadataAgeSeconds} says how old.
   */
  STALE_METADATA
}
