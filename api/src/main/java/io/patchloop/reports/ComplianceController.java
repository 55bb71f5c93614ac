package io.patchloop.reports;

import io.patchloop.common.NotFoundException;
import io.patchloop.hosts.HostStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ComplianceController {

  private final HostStore hosts;
  private final ReportStore reports;

  ComplianceController(HostStore hosts, ReportStore reports) {
    this.hosts = hosts;
    this.reports = reports;
  }

  /** The host's newest report: when, against which baseline, the status, counts, and every applicable patch. */
  @GetMapping("/api/v1/hosts/{id}/compliance")
  HostReport compliance(@PathVariable long id) {
    hosts.get(id);
    return reports.newest(id).orElseThrow(() -> new NotFoundException("compliance report of host", id + " (never scanned)"));
  }
}
