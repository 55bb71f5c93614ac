package io.patchloop.workflows.scan;

import io.patchloop.compliance.ComplianceStatus;

/** The small result a workflow keeps of one host's scan; the full report is in the database. */
public record ScanSummary(
    long hostId,
    long baselineId,
    ComplianceStatus status,
    int installed,
    int installedOther,
    int installedPendingReboot,
    int installedRejected,
    int missing,
    int failed) {

  public boolean compliant() {
    return status == ComplianceStatus.COMPLIANT;
  }
}
