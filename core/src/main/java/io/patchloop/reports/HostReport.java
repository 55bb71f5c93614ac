package io.patchloop.reports;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.PatchState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A host's newest compliance report as the API shows it.
 *
 * @param metadataAgeSeconds how old the advisory metadata it was made from was; null when unknown
 * @param warnings what a person should know about it (STALE_METADATA), empty for none
 */
public record HostReport(
    long hostId,
    long baselineId,
    String baselineName,
    String ticketId,
    String operation,
    Instant scannedAt,
    ComplianceStatus status,
    String osRelease,
    String runningKernel,
    Long metadataAgeSeconds,
    List<ReportWarning> warnings,
    Map<PatchState, Integer> countsByState,
    Map<ComplianceLevel, Map<PatchState, Integer>> countsByLevel,
    List<Patch> patches) {

  /** One applicable advisory in the report. */
  public record Patch(
      String advisoryId,
      PatchState state,
      String complianceLevel,
      String severity,
      String category,
      Instant issued,
      boolean rebootSuggested,
      List<String> cves,
      List<Package> packages,
      String failureMessage) {}

  /** An advisory's package on this host: what is installed and what fixes it. */
  public record Package(String name, String arch, String installed, String fixed) {

    /** The packages as the CSV exports write them: {@code name.arch installed->fixed} joined by {@code ;}, installed empty when none is. */
    public static String asText(java.util.List<Package> packages) {
      StringBuilder s = new StringBuilder();
      for (Package p : packages) {
        if (!s.isEmpty()) {
          s.append(';');
        }
        s.append(p.name()).append('.').append(p.arch()).append(' ')
            .append(p.installed() == null ? "" : p.installed()).append("->").append(p.fixed());
      }
      return s.toString();
    }
  }
}
