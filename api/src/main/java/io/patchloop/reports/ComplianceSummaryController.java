package io.patchloop.reports;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.api.csv.CsvWriter;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.compliance.PatchState;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ComplianceSummaryController {

  /** The name of the overall row in the CSV's group column. */
  static final String OVERALL = "(all)";

  private final ComplianceSummaryStore summaries;

  ComplianceSummaryController(ComplianceSummaryStore summaries) {
    this.summaries = summaries;
  }

  /**
   * Hosts compliant, non-compliant and never scanned, with their patches by state and by compliance
   * level: overall, and with {@code groupBy=os} or {@code groupBy=tag:<key>} also per OS family or tag value.
   * {@code format=csv} (or {@code Accept: text/csv}): one row per group after the overall row ({@value #OVERALL}).
   */
  @GetMapping("/api/v1/compliance/summary")
  ComplianceSummary summary(@RequestParam(required = false) String groupBy,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean csv = CsvResponse.requested(format, request);
    ComplianceSummary summary = summaries.summary(groupBy);
    if (csv) {
      CsvResponse.stream(response, "compliance-summary", header(), out -> {
        row(out, OVERALL, summary.overall());
        for (var group : summary.groups().entrySet()) {
          row(out, group.getKey(), group.getValue());
        }
      });
      return null; // written
    }
    return summary;
  }

  /** group, host counts, patches per state, then per level and state as {@code CRITICAL.MISSING}. */
  static List<String> header() {
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

  private static void row(CsvWriter out, String group, ComplianceSummary.Totals t) throws IOException {
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
