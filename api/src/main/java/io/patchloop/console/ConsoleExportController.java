package io.patchloop.console;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetViewCsv;
import io.patchloop.fleet.FleetViewQuery;
import io.patchloop.fleet.FleetViewStore;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostListCsv;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.HostStore;
import io.patchloop.reports.ComplianceSummaryStore;
import io.patchloop.reports.ReportCsv;
import io.patchloop.reports.ReportStore;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's download buttons: the same CSV files as the API's {@code format=csv}, with the
 * filters of the page they are on, for a signed-in person (the API wants a bearer token).
 */
@Controller
class ConsoleExportController {

  private final HostStore hosts;
  private final ReportStore reports;
  private final ComplianceSummaryStore summaries;
  private final FleetViewStore views;

  ConsoleExportController(HostStore hosts, ReportStore reports, ComplianceSummaryStore summaries, FleetViewStore views) {
    this.hosts = hosts;
    this.reports = reports;
    this.summaries = summaries;
    this.views = views;
  }

  @GetMapping("/console/exports/hosts.csv")
  void hosts(@RequestParam(required = false) Host.ComplianceStatus complianceStatus,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      HttpServletResponse response) throws IOException {
    HostQuery query = new HostQuery(HostQuery.parseTagList(tag), osFamily, null, complianceStatus);
    CsvResponse.stream(response, "hosts", HostListCsv.HEADER, csv -> hosts.forEachMatching(query, HostListCsv.writingTo(csv)));
  }

  @GetMapping("/console/exports/hosts/{id}/compliance.csv")
  void report(@PathVariable long id, HttpServletResponse response) throws IOException {
    Host host = hosts.get(id);
    ReportCsv.report(response, host, reports.newest(id)
        .orElseThrow(() -> new NotFoundException("compliance report of host", id + " (never scanned)")));
  }

  @GetMapping("/console/exports/summary.csv")
  void summary(@RequestParam(required = false) String groupBy, HttpServletResponse response) throws IOException {
    ReportCsv.summary(response, summaries.summary(groupBy));
  }

  @GetMapping("/console/exports/cves.csv")
  void cves(@RequestParam(required = false) String text, @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchState state, @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) String tag, HttpServletResponse response) throws IOException {
    var all = views.allCves(new FleetViewQuery(text, severity, null, state, osFamily, HostQuery.parseTagList(tag)));
    CsvResponse.stream(response, "cves", FleetViewCsv.CVE_HEADER, csv -> FleetViewCsv.cves(csv, all));
  }

  @GetMapping("/console/exports/cves/{id}.csv")
  void cve(@PathVariable String id, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      HttpServletResponse response) throws IOException {
    FleetViewQuery query = new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTagList(tag));
    var cve = views.cve(id, query, PageRequest.of(0, 1)).cve();
    CsvResponse.stream(response, "cve-" + id, FleetViewCsv.HOST_PATCH_HEADER,
        csv -> views.forEachHostPatch(cve.advisories(), id, query, FleetViewCsv.hostPatches(csv, id)));
  }

  @GetMapping("/console/exports/advisories.csv")
  void advisories(@RequestParam(required = false) String text, @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchCategory category, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      HttpServletResponse response) throws IOException {
    var all = views.allAdvisories(new FleetViewQuery(text, severity, category, state, osFamily, HostQuery.parseTagList(tag)));
    CsvResponse.stream(response, "advisories", FleetViewCsv.ADVISORY_HEADER, csv -> FleetViewCsv.advisories(csv, all));
  }

  @GetMapping("/console/exports/advisories/{id}.csv")
  void advisory(@PathVariable String id, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      HttpServletResponse response) throws IOException {
    FleetViewQuery query = new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTagList(tag));
    views.advisory(id, query, PageRequest.of(0, 1));
    CsvResponse.stream(response, "advisory-" + id, FleetViewCsv.HOST_PATCH_HEADER,
        csv -> views.forEachHostPatch(List.of(id), null, query, FleetViewCsv.hostPatches(csv, id)));
  }

  /**
   * The download link of the page being rendered: {@code path} with the request's own filters
   * (already encoded), paging left out since a file has every row.
   */
  static String linkWithFilters(String path) {
    var uri = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentRequest()
        .replaceQueryParam("page").build();
    return uri.getQuery() == null ? path : path + "?" + uri.getQuery();
  }
}
