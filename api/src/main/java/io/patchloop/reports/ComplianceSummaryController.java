package io.patchloop.reports;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ComplianceSummaryController {

  private final ComplianceSummaryStore summaries;

  ComplianceSummaryController(ComplianceSummaryStore summaries) {
    this.summaries = summaries;
  }

  /**
   * Hosts compliant, non-compliant and never scanned, with their patches by state and by compliance
   * level: overall, and with {@code groupBy=os} or {@code groupBy=tag:<key>} also per OS family or tag value.
   */
  @GetMapping("/api/v1/compliance/summary")
  ComplianceSummary summary(@RequestParam(required = false) String groupBy) {
    return summaries.summary(groupBy);
  }
}
