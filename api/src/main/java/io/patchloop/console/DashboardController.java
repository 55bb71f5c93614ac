package io.patchloop.console;

import io.patchloop.common.PageRequest;
import io.patchloop.reports.ComplianceSummaryStore;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.ticket.TicketStatus;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The fleet at a glance: hosts by compliance (the API's summary) and the tickets running now. */
@Controller
class DashboardController {

  static final int RUNNING_SHOWN = 20;

  private final ComplianceSummaryStore summaries;
  private final TicketStore tickets;

  DashboardController(ComplianceSummaryStore summaries, TicketStore tickets) {
    this.summaries = summaries;
    this.tickets = tickets;
  }

  @GetMapping({"/console", "/console/"})
  String dashboard(Model model) {
    model.addAttribute("summary", summaries.summary(null).overall());
    model.addAttribute("running", running());
    return "console/dashboard";
  }

  /** The running tickets only, refreshed by htmx while the dashboard is open. */
  @GetMapping("/console/running-tickets")
  String runningTickets(Model model) {
    model.addAttribute("running", running());
    return "console/dashboard :: running";
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
