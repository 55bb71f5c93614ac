package io.patchloop.fleet;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.HostQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet by CVE and by advisory: which are where, in which state, on which hosts. Each also as
 * CSV ({@code format=csv} or {@code Accept: text/csv}): every row the filters select, paging ignored.
 */
@RestController
@Tag(name = "Fleet views", description = "The fleet by CVE and by advisory")
class FleetViewController {

  private final FleetViewStore views;

  FleetViewController(FleetViewStore views) {
    this.views = views;
  }

  /** CVEs listed by any host's newest report, the most affected hosts first. */
  @GetMapping("/api/v1/cves")
  @Operation(operationId = "listCves", summary = "CVEs of the fleet, the most affected hosts first (JSON or CSV)")
  PageResult<FleetViewStore.CveSummary> cves(
      @RequestParam(required = false) String text,
      @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    FleetViewQuery query = new FleetViewQuery(text, severity, null, state, osFamily, HostQuery.parseTags(tag));
    if (CsvResponse.requested(format, request)) {
      var all = views.allCves(query);
      CsvResponse.stream(response, "cves", FleetViewCsv.CVE_HEADER, csv -> FleetViewCsv.cves(csv, all));
      return null; // written
    }
    return views.cves(query, PageRequest.of(page, size));
  }

  /** One CVE: its hosts per state, the advisories that fix it, and a page of its hosts (in host order). */
  @GetMapping("/api/v1/cves/{id}")
  @Operation(operationId = "getCve", summary = "One CVE: hosts per state, fixing advisories, a page of its hosts (JSON or CSV)")
  FleetViewStore.CveDetail cve(
      @PathVariable String id,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    FleetViewQuery query = new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTags(tag));
    if (CsvResponse.requested(format, request)) {
      var cve = views.cve(id, query, PageRequest.of(0, 1)).cve(); // a 404 while it still can be one
      CsvResponse.stream(response, "cve-" + id, FleetViewCsv.HOST_PATCH_HEADER,
          csv -> views.forEachHostPatch(cve.advisories(), id, query, FleetViewCsv.hostPatches(csv, id)));
      return null; // written
    }
    return views.cve(id, query, PageRequest.of(page, size));
  }

  /** Advisories listed by any host's newest report, the most affected hosts first. */
  @GetMapping("/api/v1/advisories")
  @Operation(operationId = "listAdvisories", summary = "Advisories of the fleet, the most affected hosts first (JSON or CSV)")
  PageResult<FleetViewStore.AdvisorySummary> advisories(
      @RequestParam(required = false) String text,
      @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchCategory category,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    FleetViewQuery query = new FleetViewQuery(text, severity, category, state, osFamily, HostQuery.parseTags(tag));
    if (CsvResponse.requested(format, request)) {
      var all = views.allAdvisories(query);
      CsvResponse.stream(response, "advisories", FleetViewCsv.ADVISORY_HEADER, csv -> FleetViewCsv.advisories(csv, all));
      return null; // written
    }
    return views.advisories(query, PageRequest.of(page, size));
  }

  /** One advisory: its hosts per state and a page of its hosts (in host order). */
  @GetMapping("/api/v1/advisories/{id}")
  @Operation(operationId = "getAdvisory", summary = "One advisory: hosts per state and a page of its hosts (JSON or CSV)")
  FleetViewStore.AdvisoryDetail advisory(
      @PathVariable String id,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    FleetViewQuery query = new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTags(tag));
    if (CsvResponse.requested(format, request)) {
      views.advisory(id, query, PageRequest.of(0, 1)); // a 404 while it still can be one
      CsvResponse.stream(response, "advisory-" + id, FleetViewCsv.HOST_PATCH_HEADER,
          csv -> views.forEachHostPatch(List.of(id), null, query, FleetViewCsv.hostPatches(csv, id)));
      return null; // written
    }
    return views.advisory(id, query, PageRequest.of(page, size));
  }
}
