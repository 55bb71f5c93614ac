package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.tickets.IdempotentTickets;
import io.patchloop.tickets.TicketLiveView;
import io.patchloop.tickets.TicketPreviewer;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Tickets: the list, the create form (a REPAIR shows the API's preview and must be confirmed), the
 * details page with its live part, and pause, resume and cancel. The same services as the API's
 * TicketController do the work.
 */
@Controller
class TicketPagesController {

  static final int PAGE_SIZE = 50;

  private final TicketStore tickets;
  private final TicketLiveView liveView;
  private final IdempotentTickets idempotent;
  private final TicketPreviewer previewer;
  private final HostStore hosts;
  private final BaselineStore baselines;
  /** Where a ticket's workflow is in Temporal's Web UI, up to its id; null without {@code patchloop.temporal.ui-url}. */
  private final String temporalWorkflows;

  /**
   * @param temporalUiUrl {@code patchloop.temporal.ui-url}: the Temporal Web UI's address
   *     (http://localhost:8233), or empty for no "Open in Temporal" link
   * @param namespace the Temporal namespace the tickets run in
   */
  TicketPagesController(TicketStore tickets, TicketLiveView liveView, IdempotentTickets idempotent,
      TicketPreviewer previewer, HostStore hosts, BaselineStore baselines,
      @Value("${patchloop.temporal.ui-url:}") String temporalUiUrl,
      @Value("${spring.temporal.namespace:default}") String namespace) {
    this.tickets = tickets;
    this.liveView = liveView;
    this.idempotent = idempotent;
    this.previewer = previewer;
    this.hosts = hosts;
    this.baselines = baselines;
    this.temporalWorkflows = temporalWorkflows(temporalUiUrl, namespace);
  }

  /** "{ui-url}/namespaces/{namespace}/workflows/", or null when no UI is configured. */
  static String temporalWorkflows(String uiUrl, String namespace) {
    if (uiUrl == null || uiUrl.isBlank()) {
      return null;
    }
    String base = uiUrl.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("patchloop.temporal.ui-url is not a URL: " + uiUrl, e);
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalStateException("patchloop.temporal.ui-url must be an http(s) URL such as http://localhost:8233,"
          + " not " + uiUrl);
    }
    return base + "/namespaces/" + UriUtils.encodePathSegment(namespace, StandardCharsets.UTF_8) + "/workflows/";
  }

  @GetMapping("/console/tickets")
  String list(@RequestParam(required = false) TicketStatus status, @RequestParam(required = false) Operation operation,
      @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to,
      @RequestParam(required = false) String zone, @RequestParam(required = false) String externalRef,
      @RequestParam(required = false) Integer page, Model model) {
    // days as the browser sees them: "to" is the whole of that day in the browser's zone
    ZoneId zoneId = browserZone(zone);
    String ref = StringUtils.hasText(externalRef) ? externalRef.strip() : null;
    PageResult<TicketStore.TicketRow> result = tickets.list(new TicketStore.TicketQuery(status, operation,
            from == null ? null : from.atStartOfDay(zoneId).toInstant(),
            to == null ? null : to.plusDays(1).atStartOfDay(zoneId).toInstant(), ref),
        PageRequest.of(page, PAGE_SIZE));
    model.addAttribute("tickets", result.items().stream().map(TicketView::of).toList());
    model.addAttribute("pages", Paging.of(result));
    model.addAttribute("status", status);
    model.addAttribute("operation", operation);
    model.addAttribute("from", from);
    model.addAttribute("to", to);
    model.addAttribute("zone", zone);
    model.addAttribute("externalRef", ref);
    model.addAttribute("statuses", TicketStatus.values());
    model.addAttribute("operations", Operation.values());
    return "console/tickets";
  }

  /** The zone console.js sent with a form; UTC when it sent none, and a clear error for one that is not a zone. */
  static ZoneId browserZone(String zone) {
    if (!StringUtils.hasText(zone)) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new InvalidInputException("zone", "must be a time zone such as Europe/Paris");
    }
  }

  /** The form, with the hosts picked on the Hosts page or a host's report. */
  @GetMapping("/console/tickets/new")
  String form(@ModelAttribute("form") TicketForm form, Model model) {
    return form(form, model, List.of());
  }

  @PostMapping("/console/tickets")
  String create(@ModelAttribute("form") TicketForm form, Model model, Principal caller) {
    try {
      if (form.getOperation() == Operation.REPAIR && !form.isConfirmed()) {
        model.addAttribute("preview", previewer.preview(form.toSpec()));
        model.addAttribute("selected", selectedHosts(form));
        return "console/ticket-preview";
      }
      IdempotentTickets.Outcome outcome = idempotent.create(form.toSpec(), caller.getName(), form.getFormKey());
      return "redirect:/console/tickets/" + outcome.ticket().id();
    } catch (InvalidInputException e) {
      model.addAttribute("message", e.getMessage());
      return form(form, model, e.problems());
    } catch (ConflictException e) {
      model.addAttribute("message", e.getMessage());
      return form(form, model, List.of());
    }
  }

  private String form(TicketForm form, Model model, List<io.patchloop.common.FieldProblem> problems) {
    model.addAttribute("selected", selectedHosts(form));
    model.addAttribute("baselines", baselines.list(null));
    model.addAttribute("operations", Operation.values());
    model.addAttribute("rebootOptions", RebootOption.values());
    model.addAttribute("metadataRefreshes", MetadataRefresh.values());
    model.addAttribute("osFamilies", OsFamily.values());
    model.addAttribute("complianceStatuses", Host.ComplianceStatus.values());
    model.addAttribute("problems", problems);
    return "console/ticket-new";
  }

  /** The picked hosts that still exist; a deleted one shows up as the API's own refusal when the form is sent. */
  private List<Host> selectedHosts(TicketForm form) {
    return hosts.getEach(form.getHostIds());
  }

  @GetMapping("/console/tickets/{id}")
  String details(@PathVariable String id, Model model) {
    live(id, model);
    // the ticket's workflow id is the ticket's id; the UI opens its newest run
    model.addAttribute("temporalUrl", temporalWorkflows == null ? null
        : temporalWorkflows + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8));
    return "console/ticket";
  }

  /** The live part of the details page, polled by htmx while the ticket runs. */
  @GetMapping("/console/tickets/{id}/live")
  String live(@PathVariable String id, Model model) {
    TicketStore.TicketRow ticket = tickets.get(id);
    TicketLiveView.Live live = ticket.status().finished() ? null : liveView.live(id);
    Map<Long, HostOutcome> running = live == null ? Map.of()
        : live.currentBatchHosts().stream().collect(Collectors.toMap(HostOutcome::hostId, Function.identity(), (a, b) -> b));
    List<HostLine> lines = tickets.hosts(id).stream().map(h -> HostLine.of(h, running.get(h.hostId()))).toList();
    int done = live == null ? ticket.succeeded() + ticket.failed() + ticket.notRun()
        : live.progress().succeeded() + live.progress().failed() + live.progress().notRun();
    model.addAttribute("ticket", ticket);
    model.addAttribute("view", TicketView.of(ticket, done));
    model.addAttribute("progress", live == null ? null : live.progress());
    model.addAttribute("paused", ticket.status() == TicketStatus.PAUSED || live != null && live.progress().paused());
    model.addAttribute("hostLines", lines);
    return "console/ticket :: live";
  }

  @PostMapping("/console/tickets/{id}/pause")
  String pause(@PathVariable String id, RedirectAttributes redirect) {
    return signal(id, redirect, () -> liveView.pause(id), "Pause sent: no new host starts; running hosts finish.");
  }

  @PostMapping("/console/tickets/{id}/resume")
  String resume(@PathVariable String id, RedirectAttributes redirect) {
    return signal(id, redirect, () -> liveView.resume(id), "Resume sent.");
  }

  @PostMapping("/console/tickets/{id}/cancel")
  String cancel(@PathVariable String id, RedirectAttributes redirect) {
    return signal(id, redirect, () -> liveView.cancel(id),
        "Cancel sent: no new host starts; running hosts finish; the rest are recorded as not run.");
  }

  private static String signal(String id, RedirectAttributes redirect, Runnable send, String done) {
    try {
      send.run();
      redirect.addFlashAttribute("notice", done);
    } catch (ConflictException e) {
      Audited.refused();
      redirect.addFlashAttribute("notice", e.getMessage());
    }
    return "redirect:/console/tickets/" + id;
  }

  /** One host of a ticket: its stored outcome, or while its batch runs, what the workflow says it is doing. */
  record HostLine(long hostId, String hostName, int batch, String state, String step, String complianceStatus,
      String error, String hookOutput) {

    static HostLine of(TicketStore.TicketHostRow row, HostOutcome live) {
      if (live != null && !"PENDING".equals(live.state().name()) && "PENDING".equals(row.state())) {
        return new HostLine(row.hostId(), row.hostName(), live.batch(), live.state().name(), live.detail(),
            live.complianceStatus() == null ? null : live.complianceStatus().name(), live.errorMessage(),
            live.hookOutput());
      }
      return new HostLine(row.hostId(), row.hostName(), row.batch(), row.state(), row.detail(), row.complianceStatus(),
          row.errorKind() == null ? null : row.errorKind() + ": " + row.errorMessage(), row.hookOutput());
    }
  }
}
