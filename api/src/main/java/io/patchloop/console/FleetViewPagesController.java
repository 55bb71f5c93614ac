package io.patchloop.console;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetViewQuery;
import io.patchloop.fleet.FleetViewStore;
import io.patchloop.hosts.HostQuery;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The fleet by CVE and by advisory (the API's views), and one CVE's or advisory's hosts. */
@Controller
class FleetViewPagesController {

  static final int PAGE_SIZE = 50;

  private final FleetViewStore views;

  FleetViewPagesController(FleetViewStore views) {
    this.views = views;
  }

  @GetMapping("/console/cves")
  String cves(@RequestParam(required = false) String text, @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchState state, @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) String tag, @RequestParam(required = false) Integer page, Model model) {
    FleetViewQuery query = new FleetViewQuery(text, severity, null, state, osFamily, HostQuery.parseTagList(tag));
    PageResult<FleetViewStore.CveSummary> result = views.cves(query, PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("cves", result);
    model.addAttribute("pages", Paging.of(result));
    filters(model, text, severity, null, state, osFamily, tag);
    model.addAttribute("exportLink", ConsoleExportController.linkWithFilters("/console/exports/cves.csv"));
    return "console/cves";
  }

  @GetMapping("/console/cves/{id}")
  String cve(@PathVariable String id, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      @RequestParam(required = false) Integer page, Model model) {
    var detail = views.cve(id, new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTagList(tag)),
        PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("cve", detail.cve());
    model.addAttribute("hosts", detail.hosts());
    model.addAttribute("pages", Paging.of(detail.hosts()));
    filters(model, null, null, null, state, osFamily, tag);
    model.addAttribute("exportLink", ConsoleExportController.linkWithFilters("/console/exports/cves/" + id + ".csv"));
    return "console/cve";
  }

  @GetMapping("/console/advisories")
  String advisories(@RequestParam(required = false) String text, @RequestParam(required = false) PatchSeverity severity,
      @RequestParam(required = false) PatchCategory category, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      @RequestParam(required = false) Integer page, Model model) {
    FleetViewQuery query = new FleetViewQuery(text, severity, category, state, osFamily, HostQuery.parseTagList(tag));
    PageResult<FleetViewStore.AdvisorySummary> result = views.advisories(query, PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("advisories", result);
    model.addAttribute("pages", Paging.of(result));
    filters(model, text, severity, category, state, osFamily, tag);
    model.addAttribute("exportLink", ConsoleExportController.linkWithFilters("/console/exports/advisories.csv"));
    return "console/advisories";
  }

  @GetMapping("/console/advisories/{id}")
  String advisory(@PathVariable String id, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) OsFamily osFamily, @RequestParam(required = false) String tag,
      @RequestParam(required = false) Integer page, Model model) {
    var detail = views.advisory(id, new FleetViewQuery(null, null, null, state, osFamily, HostQuery.parseTagList(tag)),
        PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("advisory", detail.advisory());
    model.addAttribute("hosts", detail.hosts());
    model.addAttribute("pages", Paging.of(detail.hosts()));
    filters(model, null, null, null, state, osFamily, tag);
    model.addAttribute("exportLink", ConsoleExportController.linkWithFilters("/console/exports/advisories/" + id + ".csv"));
    return "console/advisory";
  }

  private static void filters(Model model, String text, PatchSeverity severity, PatchCategory category, PatchState state,
      OsFamily osFamily, String tag) {
    model.addAttribute("text", text);
    model.addAttribute("severity", severity);
    model.addAttribute("category", category);
    model.addAttribute("state", state);
    model.addAttribute("osFamily", osFamily);
    model.addAttribute("tag", tag);
    model.addAttribute("severities", PatchSeverity.values());
    model.addAttribute("categories", PatchCategory.values());
    model.addAttribute("states", PatchState.values());
    model.addAttribute("osFamilies", OsFamily.values());
  }
}
