package io.patchloop.reports;

import io.patchloop.api.csv.CsvResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Compliance")
class ComplianceSummaryController {

  /** The name of the overall row in the CSV's group column. */

  private final ComplianceSummaryStore summaries;

  ComplianceSummaryController(ComplianceSummaryStore summaries) {
    this.summaries = summaries;
  }

  /**
   * Hosts compliant, non-compliant and never scanned, with their patches by state and by compliance
   * level: overall, and with {@code groupBy=os} or {@code groupBy=tag:<key>} also per OS family or tag value.
   * {@code format=csv} (or {@code Accept: text/csv}): one row per group after the overall row ({@value ReportCsv#OVERALL}).
   */
  @GetMapping("/api/v1/compliance/summary")
  @Operation(operationId = "getComplianceSummary", summary = "Hosts compliant, non-compliant and never scanned, overall and per group (JSON or CSV)")
  ComplianceSummary summary(@RequestParam(required = false) String groupBy,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean csv = CsvResponse.requested(format, request);
    ComplianceSummary summary = summaries.summary(groupBy);
    if (csv) {
      ReportCsv.summary(response, summary);
      return null; // written
    }
    return summary;
  }
}
