package io.patchloop.console;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.HostStore;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The host list (the API's host listing and filters) and a host's newest report. */
@Controller
class HostPagesController {

  static final int PAGE_SIZE = 50;

  private final HostStore hosts;
  private final ReportStore reports;

  HostPagesController(HostStore hosts, ReportStore reports) {
    this.hosts = hosts;
    this.reports = reports;
  }

  @GetMapping("/console/hosts")
  String list(@RequestParam(required = false) Host.ComplianceStatus complianceStatus,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) String tag,
      @RequestParam(required = false) Integer page, Model model) {
    PageResult<Host> result = hosts.list(new HostQuery(HostQuery.parseTagList(tag), osFamily, null, complianceStatus),
        PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("hosts", result);
    model.addAttribute("pages", Paging.of(result));
    model.addAttribute("complianceStatus", complianceStatus);
    model.addAttribute("osFamily", osFamily);
    model.addAttribute("tag", tag);
    model.addAttribute("statuses", Host.ComplianceStatus.values());
    model.addAttribute("osFamilies", OsFamily.values());
    model.addAttribute("exportLink", ConsoleExportController.linkWithFilters("/console/exports/hosts.csv"));
    return "console/hosts";
  }

  /** The newest report; {@code state} and {@code level} (a patch's compliance level) filter its patches, together. */
  @GetMapping("/console/hosts/{id}")
  String report(@PathVariable long id, @RequestParam(required = false) PatchState state,
      @RequestParam(required = false) ComplianceLevel level, Model model) {
    Host host = hosts.get(id);
    HostReport report = reports.newest(id).orElse(null);
    model.addAttribute("host", host);
    model.addAttribute("report", report);
    model.addAttribute("state", state);
    model.addAttribute("states", PatchState.values());
    model.addAttribute("level", level);
    model.addAttribute("levels", ComplianceLevel.values());
    model.addAttribute("exportLink", "/console/exports/hosts/" + id + "/compliance.csv");
    model.addAttribute("levelRows", report == null ? List.of() : levelRows(report));
    model.addAttribute("patches", report == null ? List.of()
        : report.patches().stream()
            .filter(p -> state == null || p.state() == state)
            .filter(p -> level == null || level.name().equals(p.complianceLevel()))
            .toList());
    return "console/host";
  }

  /** The report's patches per compliance level and state: only the levels it has patches of, most severe first. */
  private static List<LevelRow> levelRows(HostReport report) {
    return report.countsByLevel().entrySet().stream()
        .map(e -> new LevelRow(e.getKey(), e.getValue(), e.getValue().values().stream().mapToInt(Integer::intValue).sum()))
        .filter(r -> r.total() > 0)
        .sorted(java.util.Comparator.comparing(LevelRow::level))
        .toList();
  }

  /** One row of the counts by level: how many of the level's patches are in each state. */
  record LevelRow(ComplianceLevel level, Map<PatchState, Integer> byState, int total) {
    public int count(PatchState state) {
      return byState.getOrDefault(state, 0);
    }
  }
}
