package io.patchloop.console;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.PageRequest;
import io.patchloop.reports.ComplianceSummary;
import io.patchloop.reports.ComplianceHistoryStore;
import io.patchloop.reports.ComplianceSummaryStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.ticket.TicketStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The fleet at a glance: hosts by compliance (a chart), non-compliant patches by compliance level,
 * hosts and patches by OS and by a chosen tag, the worst hosts, the trend of the last 30 daily
 * snapshots, and the tickets running now. The
 * same summary queries as the API's, whatever the fleet's size.
 */
@Controller
class DashboardController {

  static final int RUNNING_SHOWN = 20;
  static final int WORST_SHOWN = 10;
  static final int TAG_KEYS_SHOWN = 100;

  /** Days of the compliance trend. */
  static final int TREND_DAYS = 30;

  private final ComplianceSummaryStore summaries;
  private final TicketStore tickets;
  private final ComplianceHistoryStore history;
  private final Clock clock;

  DashboardController(ComplianceSummaryStore summaries, TicketStore tickets, ComplianceHistoryStore history, Clock clock) {
    this.summaries = summaries;
    this.tickets = tickets;
    this.history = history;
    this.clock = clock;
  }

  /** @param tag the tag key to break the fleet down by; the first key hosts carry when none is chosen */
  @GetMapping({"/console", "/console/"})
  String dashboard(@RequestParam(required = false) String tag, Model model) {
    // the by-OS summary's totals are the fleet's: one summary serves both
    ComplianceSummary byOs = summaries.summary("os");
    ComplianceSummary.Totals overall = byOs.overall();
    List<String> tagKeys = summaries.tagKeys(TAG_KEYS_SHOWN);
    String groupTag = StringUtils.hasText(tag) ? tag.strip() : tagKeys.isEmpty() ? null : tagKeys.get(0);
    model.addAttribute("summary", overall);
    model.addAttribute("hostsBar", StackedBar.hosts(overall));
    model.addAttribute("levels", levelRows(overall));
    model.addAttribute("byOs", groupRows(byOs.groups()));
    model.addAttribute("tagKeys", tagKeys);
    model.addAttribute("tag", groupTag);
    model.addAttribute("byTag", groupTag == null ? List.of() : groupRows(summaries.summary("tag:" + groupTag).groups()));
    model.addAttribute("worst", summaries.worstHosts(WORST_SHOWN));
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    model.addAttribute("trend", TrendChart.of(history.series(today.minusDays(TREND_DAYS - 1), today, null, null)));
    model.addAttribute("running", running());
    return "console/dashboard";
  }

  /** The running tickets only, refreshed by htmx while the dashboard is open. */
  @GetMapping("/console/running-tickets")
  String runningTickets(Model model) {
    model.addAttribute("running", running());
    return "console/dashboard :: running";
  }

  /** One compliance level: its non-compliant patches, by state. */
  record LevelRow(String level, long nonCompliant, Map<String, Long> byState, StackedBar bar) {}

  /** One OS family or tag value: its hosts by status and its non-compliant patches. */
  record GroupRow(String name, ComplianceSummary.Totals totals, long nonCompliantPatches, StackedBar hostsBar) {}

  private static List<LevelRow> levelRows(ComplianceSummary.Totals overall) {
    List<LevelRow> rows = new ArrayList<>();
    for (ComplianceLevel level : ComplianceLevel.values()) {
      Map<String, Long> byState = overall.patchesByLevel().getOrDefault(level.name(), Map.of());
      rows.add(new LevelRow(level.name(), StackedBar.nonCompliant(byState), byState,
          StackedBar.nonCompliantPatches(byState)));
    }
    return rows;
  }

  private static List<GroupRow> groupRows(Map<String, ComplianceSummary.Totals> groups) {
    List<GroupRow> rows = new ArrayList<>();
    groups.forEach((name, totals) -> rows.add(new GroupRow(name, totals,
        StackedBar.nonCompliant(totals.patchesByState()), StackedBar.hosts(totals))));
    return rows;
  }

  private List<TicketView> running() {
    List<TicketView> rows = new ArrayList<>();
    for (TicketStatus status : List.of(TicketStatus.RUNNING, TicketStatus.PAUSED, TicketStatus.CREATED)) {
      tickets.list(new TicketStore.TicketQuery(status, null, null, null), PageRequest.of(0, RUNNING_SHOWN))
          .items().forEach(t -> rows.add(TicketView.of(t)));
    }
    return rows;
  }
}
