package io.patchloop.reports;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.api.csv.CsvWriter;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.Host;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A host's report and the compliance summary as CSV files, for the API and the console's downloads alike. */
public final class ReportCsv {

  /** The group of the summary's first row: the whole fleet. */
  public static final String OVERALL = "(all)";

  static final List<String> REPORT_HEADER = List.of("host", "scannedAt", "baseline", "advisoryId", "state",
      "complianceLevel", "severity", "category", "issuedAt", "rebootSuggested", "cves", "packages", "failureMessage");

  private ReportCsv() {}

  /** One row per patch, each naming the host and the scan; a report is one host's advisories (hundreds), read whole. */
  public static void report(HttpServletResponse response, Host host, HostReport report) throws IOException {
    CsvResponse.stream(response, "host-" + host.id() + "-compliance", REPORT_HEADER, out -> {
      for (HostReport.Patch p : report.patches()) {
        out.row(host.name(), report.scannedAt(), report.baselineName(), p.advisoryId(), p.state(),
            p.complianceLevel(), p.severity(), p.category(), p.issued(), p.rebootSuggested(),
            String.join(" ", p.cves()), HostReport.Package.asText(p.packages()), p.failureMessage());
      }
    });
  }

  /** The overall row ({@value #OVERALL}), then one per group. */
  public static void summary(HttpServletResponse response, ComplianceSummary summary) throws IOException {
    CsvResponse.stream(response, "compliance-summary", summaryHeader(), out -> {
      summaryRow(out, OVERALL, summary.overall());
      for (var group : summary.groups().entrySet()) {
        summaryRow(out, group.getKey(), group.getValue());
      }
    });
  }

  /** group, host counts, patches per state, then per level and state as {@code CRITICAL.MISSING}. */
  static List<String> summaryHeader() {
    List<String> header = new ArrayList<>(List.of("group", "hosts", "compliant", "nonCompliant", "unknown"));
    for (PatchState s : PatchState.values()) {
      header.add(s.name());
    }
    for (ComplianceLevel level : ComplianceLevel.values()) {
      for (PatchState s : PatchState.values()) {
        header.add(level.name() + "." + s.name());
      }
    }
    return header;
  }

  private static void summaryRow(CsvWriter out, String group, ComplianceSummary.Totals t) throws IOException {
    List<Object> row = new ArrayList<>(List.of(group, t.hosts(), t.compliant(), t.nonCompliant(), t.unknown()));
    for (PatchState s : PatchState.values()) {
      row.add(t.patchesByState().getOrDefault(s.name(), 0L));
    }
    for (ComplianceLevel level : ComplianceLevel.values()) {
      Map<String, Long> byState = t.patchesByLevel().getOrDefault(level.name(), Map.of());
      for (PatchState s : PatchState.values()) {
        row.add(byState.getOrDefault(s.name(), 0L));
      }
    }
    out.row(row);
  }
}
