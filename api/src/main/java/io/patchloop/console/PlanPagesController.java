package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.plans.InspectionPlan;
import io.patchloop.plans.PlanService;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.plan.Cron;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.plan.PlanState;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.TicketStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Inspection plans: the list, the create and edit form, a plan's page with its runs (the tickets
 * it started), trigger now, pause, resume and delete. The API's {@code PlanService} does the work
 * and checks every form as it checks the API's requests.
 */
@Controller
class PlanPagesController {

  static final int RUNS_SHOWN = 50;

  private final PlanService plans;
  private final BaselineStore baselines;
  private final TicketStore tickets;
  private final Clock clock;

  PlanPagesController(PlanService plans, BaselineStore baselines, TicketStore tickets, Clock clock) {
    this.plans = plans;
    this.baselines = baselines;
    this.tickets = tickets;
    this.clock = clock;
  }

  /** A plan as the list shows it: whom it scans, under which baseline, when it runs next, what it did last. */
  record PlanRow(InspectionPlan plan, String hosts, String baseline, Instant nextRun, InspectionPlan.Run lastRun) {}

  /** One run and, when it started a ticket that still exists, that ticket's status. */
  record RunLine(InspectionPlan.Run run, TicketStatus ticketStatus) {

    public String tone() {
      return switch (run.outcome()) {
        case STARTED -> "tone-good";
        case SKIPPED -> "tone-busy";
        case FAILED -> "tone-bad";
      };
    }
  }

  @GetMapping("/console/plans")
  String list(Model model) {
    Map<Long, String> baselineNames = baselineNames();
    Instant now = clock.instant();
    List<PlanRow> rows = new ArrayList<>();
    for (PlanService.PlanView v : plans.list()) {
      InspectionPlan p = v.plan();
      List<InspectionPlan.Run> last = plans.runs(p.id(), 1);
      rows.add(new PlanRow(p, describeHosts(p.selector()), baselineName(p.baselineId(), baselineNames),
          nextRun(p, now), last.isEmpty() ? null : last.get(0)));
    }
    model.addAttribute("plans", rows);
    return "console/plans";
  }

  @GetMapping("/console/plans/new")
  String newPlan(Model model) {
    return form(new PlanForm(), null, FormFeedback.none(), model);
  }

  @PostMapping("/console/plans")
  String create(@ModelAttribute("form") PlanForm form, BindingResult binding, Model model, RedirectAttributes redirect) {
    if (binding.hasErrors()) {
      return form(form, null, FormFeedback.of("Invalid inspection plan",
          FormFeedback.binding(binding, HostRunForm.API_PATHS)), model);
    }
    try {
      InspectionPlan created = plans.create(form.toSpec()).plan();
      redirect.addFlashAttribute("notice", "Plan " + created.name() + " created.");
      return "redirect:/console/plans/" + created.id();
    } catch (InvalidInputException e) {
      return form(form, null, FormFeedback.of(e.getMessage(), e.problems()), model);
    } catch (ConflictException e) {
      return form(form, null, conflict(e), model);
    }
  }

  @GetMapping("/console/plans/{id}/edit")
  String edit(@PathVariable long id, Model model) {
    return form(PlanForm.of(plans.get(id).plan()), id, FormFeedback.none(), model);
  }

  @PostMapping("/console/plans/{id}")
  String update(@PathVariable long id, @ModelAttribute("form") PlanForm form, BindingResult binding, Model model,
      RedirectAttributes redirect) {
    if (binding.hasErrors()) {
      return form(form, id, FormFeedback.of("Invalid inspection plan",
          FormFeedback.binding(binding, HostRunForm.API_PATHS)), model);
    }
    try {
      InspectionPlan updated = plans.update(id, form.toSpec()).plan();
      redirect.addFlashAttribute("notice", "Plan " + updated.name() + " saved.");
      return "redirect:/console/plans/" + id;
    } catch (InvalidInputException e) {
      return form(form, id, FormFeedback.of(e.getMessage(), e.problems()), model);
    } catch (ConflictException e) {
      return form(form, id, conflict(e), model);
    }
  }

  private static FormFeedback conflict(ConflictException e) {
    return FormFeedback.of(e.getMessage(), e.field() == null ? List.of() : List.of(new FieldProblem(e.field(), e.getMessage())));
  }

  private String form(PlanForm form, Long id, FormFeedback problems, Model model) {
    model.addAttribute("form", form);
    model.addAttribute("planId", id);
    // the title is made here: Thymeleaf refuses the word "new" in a fragment's parameter
    model.addAttribute("title", id == null ? "New inspection plan" : "Edit inspection plan");
    model.addAttribute("errors", problems);
    model.addAttribute("baselines", baselines.list(null));
    model.addAttribute("osFamilies", OsFamily.values());
    model.addAttribute("statuses", Host.ComplianceStatus.values());
    model.addAttribute("strategies", BatchSpec.Strategy.values());
    model.addAttribute("metadataRefreshes", MetadataRefresh.values());
    model.addAttribute("overlapPolicies", List.of(PlanSchedule.SKIP, PlanSchedule.ALLOW));
    return "console/plan-form";
  }

  @GetMapping("/console/plans/{id}")
  String details(@PathVariable long id, Model model) {
    PlanService.PlanView view = plans.get(id);
    InspectionPlan p = view.plan();
    PlanState state = view.state();
    model.addAttribute("plan", p);
    model.addAttribute("state", state);
    model.addAttribute("hosts", describeHosts(p.selector()));
    model.addAttribute("baseline", baselineName(p.baselineId(), baselineNames()));
    model.addAttribute("batch", describeBatch(p.batch()));
    model.addAttribute("suspension", p.suspension() == null ? null
        : p.suspension().maxFailures() != null ? "after " + p.suspension().maxFailures() + " failed host(s)"
        : p.suspension().maxFailurePercent() != null ? "after " + p.suspension().maxFailurePercent() + " % of the hosts failed"
        : null);
    // the workflow's own next fire time when it answers, else the one its cron and zone give
    model.addAttribute("nextRun", state != null ? (state.nextFireAtMillis() > 0 ? Instant.ofEpochMilli(state.nextFireAtMillis()) : null)
        : nextRun(p, clock.instant()));
    runs(id, model);
    return "console/plan";
  }

  /** The runs alone, refreshed by htmx while the plan's page is open (a triggered run shows up by itself). */
  @GetMapping("/console/plans/{id}/runs")
  String runs(@PathVariable long id, Model model) {
    List<InspectionPlan.Run> runs = plans.runs(id, RUNS_SHOWN);
    model.addAttribute("planId", id);
    model.addAttribute("runs", runs.stream().map(r -> new RunLine(r, ticketStatus(r.ticketId()))).toList());
    return "console/plan :: runs";
  }

  @PostMapping("/console/plans/{id}/trigger")
  String trigger(@PathVariable long id, RedirectAttributes redirect) {
    plans.trigger(id);
    redirect.addFlashAttribute("notice",
        "Trigger sent: the plan starts its ticket in a moment (its overlap policy still applies); it shows up under Runs.");
    return "redirect:/console/plans/" + id;
  }

  @PostMapping("/console/plans/{id}/pause")
  String pause(@PathVariable long id, RedirectAttributes redirect) {
    plans.setPaused(id, true);
    redirect.addFlashAttribute("notice", "Paused: the plan starts no ticket until it is resumed.");
    return "redirect:/console/plans/" + id;
  }

  @PostMapping("/console/plans/{id}/resume")
  String resume(@PathVariable long id, RedirectAttributes redirect) {
    plans.setPaused(id, false);
    redirect.addFlashAttribute("notice", "Resumed: the plan runs on its schedule again.");
    return "redirect:/console/plans/" + id;
  }

  @PostMapping("/console/plans/{id}/delete")
  String delete(@PathVariable long id, @RequestParam(required = false) boolean confirm, RedirectAttributes redirect) {
    if (!confirm) {
      Audited.refused();
      redirect.addFlashAttribute("notice", "Not deleted: tick the box that confirms it first.");
      return "redirect:/console/plans/" + id;
    }
    String name = plans.get(id).plan().name();
    plans.delete(id);
    redirect.addFlashAttribute("notice", "Plan " + name + " deleted; the tickets it started are kept.");
    return "redirect:/console/plans";
  }

  private TicketStatus ticketStatus(String ticketId) {
    if (ticketId == null) {
      return null;
    }
    try {
      return tickets.get(ticketId).status();
    } catch (NotFoundException gone) {
      return null;
    }
  }

  private Map<Long, String> baselineNames() {
    return baselines.list(null).stream().collect(Collectors.toMap(Baseline::id, Baseline::name, (a, b) -> a));
  }

  private static String baselineName(Long id, Map<Long, String> names) {
    return id == null ? "each host's OS default" : names.getOrDefault(id, "baseline " + id + " (deleted)");
  }

  /** When the plan fires next by its cron and zone; null while paused. */
  static Instant nextRun(InspectionPlan p, Instant now) {
    if (p.paused()) {
      return null;
    }
    try {
      ZoneId zone = ZoneId.of(p.timeZone());
      return Cron.parse(p.cron()).next(now.atZone(zone), zone).toInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String describeHosts(TicketSpec.Selector s) {
    if (s == null) {
      return "none";
    }
    if (Boolean.TRUE.equals(s.all())) {
      return "every host";
    }
    List<String> parts = new ArrayList<>();
    if (s.tags() != null && !s.tags().isEmpty()) {
      parts.add("tagged " + s.tags().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining(" and ")));
    }
    if (s.osFamily() != null) {
      parts.add("OS " + s.osFamily());
    }
    if (s.complianceStatus() != null) {
      parts.add("newest report " + s.complianceStatus());
    }
    if (s.missingAdvisory() != null) {
      parts.add("missing advisory " + s.missingAdvisory());
    }
    return "hosts " + String.join(", ", parts);
  }

  static String describeBatch(BatchSpec b) {
    if (b == null || b.strategy() == null || b.strategy() == BatchSpec.Strategy.NONE) {
      return "one batch with every host";
    }
    return switch (b.strategy()) {
      case FIXED -> b.size() + (Integer.valueOf(1).equals(b.size()) ? " host" : " hosts") + " per batch";
      case PERCENT -> b.percent() + " % of the hosts per batch";
      case AUTO -> "no '" + b.tagKey() + "' group all in one batch (at most "
          + (b.percent() == null ? BatchSpec.DEFAULT_AUTO_PERCENT : b.percent()) + " % of a group per batch)";
      case NONE -> "one batch with every host";
    };
  }
}
