package io.patchloop.fleet;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.HostQuery;
import io.patchloop.inventory.SafeValues;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The fleet by CVE and by advisory: which are where, in which state, on which hosts. */
@RestController
class FleetViewController {

  private final FleetViewStore views;

  FleetViewController(FleetViewStore views) {
    this.views = views;
  }

  /** CVEs listed by any host's newest report, the most affected hosts first. */
  @GetMapping("/api/v1/cves")
  PageResult<FleetViewStore.CveSummary> cves(
      @RequestParam(required = false) String text,
      @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return views.cves(new FleetViewQuery(text, severity, null, state, osFamily, HostQuery.parseTags(tag)),
        PageRequest.of(page, size));
  }

  /** One CVE: its hosts per state, the advisories that fix it, and a page of its hosts (in host order). */
  @GetMapping("/api/v1/cves/{id}")
  FleetViewStore.CveDetail cve(
      @PathVariable String id,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (!SafeValues.CVE.matcher(id).matches()) {
      throw new InvalidInputException("id", "must be a CVE id such as CVE-2024-2398");
    }
    return views.cve(id, new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTags(tag)),
        PageRequest.of(page, size));
  }

  /** Advisories listed by any host's newest report, the most affected hosts first. */
  @GetMapping("/api/v1/advisories")
  PageResult<FleetViewStore.AdvisorySummary> advisories(
      @RequestParam(required = false) String text,
      @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchCategory category,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return views.advisories(new FleetViewQuery(text, severity, category, state, osFamily, HostQuery.parseTags(tag)),
        PageRequest.of(page, size));
  }

  /** One advisory: its hosts per state and a page of its hosts (in host order). */
  @GetMapping("/api/v1/advisories/{id}")
  FleetViewStore.AdvisoryDetail advisory(
      @PathVariable String id,
      @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (!SafeValues.ADVISORY_ID.matcher(id).matches()) {
      throw new InvalidInputException("id", "must be an advisory id: 1-128 letters, digits or . _ : + -");
    }
    return views.advisory(id, new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTags(tag)),
        PageRequest.of(page, size));
  }
}
