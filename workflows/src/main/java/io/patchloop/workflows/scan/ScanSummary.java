package io.patchloop.workflows.scan;

/** The small result a workflow keeps of one host's scan; the full report is in the database. */
public record ScanSummary(
    long hostId,
    long baselineId,
    String status,
    int installed,
    int installedOther,
    int installedPendingReboot,
    int installedRejected,
    int missing,
    int failed) {

  public boolean compliant() {
    return "COMPLIANT".equals(status);
  }
}
