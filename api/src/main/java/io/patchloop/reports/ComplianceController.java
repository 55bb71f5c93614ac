package io.patchloop.reports;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.common.NotFoundException;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Compliance", description = "Reports of scanned hosts, the fleet summary and its history")
class ComplianceController {

  private final HostStore hosts;
  private final ReportStore reports;

  ComplianceController(HostStore hosts, ReportStore reports) {
    this.hosts = hosts;
    this.reports = reports;
  }

  /**
   * The host's newest report: when, against which baseline, the status, counts, and every applicable patch.
   * {@code format=csv} (or {@code Accept: text/csv}): one row per patch, each naming the host and the scan.
   */
  @GetMapping("/api/v1/hosts/{id}/compliance")
  @Operation(operationId = "getHostCompliance", summary = "A host's newest report: status, counts and every applicable patch (JSON or CSV)")
  HostReport compliance(@PathVariable long id, @RequestParam(required = false) String format,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean csv = CsvResponse.requested(format, request);
    Host host = hosts.get(id);
    HostReport report = reports.newest(id)
        .orElseThrow(() -> new NotFoundException("compliance report of host", id + " (never scanned)"));
    if (csv) {
      // a report's patches are the advisories applicable to one host (hundreds): read whole, as for JSON
      ReportCsv.report(response, host, report);
      return null; // written
    }
    return report;
  }
}
