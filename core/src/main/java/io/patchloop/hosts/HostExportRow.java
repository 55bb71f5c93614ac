package io.patchloop.hosts;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.time.Instant;

/**
 * One host of the host list as an export has it: the host, its tags as {@code key=value;key=value}
 * (in key order; neither keys nor values can hold {@code ;}), and the status, baseline and patch
 * counts of its newest report (null and zeros before the first scan).
 */
public record HostExportRow(
    long id,
    String name,
    String address,
    int port,
    OsFamily osFamily,
    Scenario scenario,
    AccessMode access,
    String tags,
    Host.ComplianceStatus complianceStatus,
    String baselineName,
    Instant lastScannedAt,
    int installed,
    int installedOther,
    int pendingReboot,
    int rejected,
    int missing,
    int failed) {}
