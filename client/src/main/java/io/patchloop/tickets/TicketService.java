package io.patchloop.tickets;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.Problems;
import io.patchloop.hooks.HookStore;
import io.patchloop.windows.MaintenanceWindowSpec;
import io.patchloop.windows.MaintenanceWindowStore;
import io.patchloop.windows.StoredWindow;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.HostStore;
import io.patchloop.outbound.OutboundPolicy;
import io.patchloop.reports.ReportStore;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.ticket.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * Makes a ticket request ready to start: checks it against what is stored (its baseline, its
 * hosts, their reports and agents) and resolves its hosts; {@link TicketLauncher} starts it.
 */
@Service
public class TicketService {

  private final HostStore hosts;
  private final BaselineStore baselines;
  private final ReportStore reports;
  private final TicketLauncher launcher;
  private final Clock clock;
  private final OutboundPolicy outbound;
  private final HookStore hookScripts;
  private final MaintenanceWindowStore windows;

  public TicketService(HostStore hosts, BaselineStore baselines, ReportStore reports, TicketLauncher launcher,
      Clock clock, OutboundPolicy outbound, HookStore hookScripts, MaintenanceWindowStore windows) {
    this.hookScripts = hookScripts;
    this.windows = windows;
    this.hosts = hosts;
    this.baselines = baselines;
    this.reports = reports;
    this.launcher = launcher;
    this.clock = clock;
    this.outbound = outbound;
  }

  public PreparedTicket prepare(TicketSpec spec) {
    Problems problems = new Problems();
    spec.validate(problems, clock.instant());
    if (spec.callback() != null && problems.isEmpty()) {
      // checked again on every attempt to call it: a name may point elsewhere by then
      outbound.refusalOfUrl(spec.callback().url()).ifPresent(reason -> problems.add("callback.url", reason));
    }
    if (spec.batchHook() != null && problems.isEmpty()) {
      outbound.refusalOfUrl(spec.batchHook().url()).ifPresent(reason -> problems.add("batchHook.url", reason));
    }
    checkBaselineExists(spec, problems);
    HostHook pre = problems.isEmpty() ? resolveHook(problems, "preHook", spec.preHook()) : null;
    HostHook post = problems.isEmpty() ? resolveHook(problems, "postHook", spec.postHook()) : null;
    StoredWindow window = problems.isEmpty() ? resolveWindow(problems, spec.maintenanceWindow()) : null;
    problems.throwIfAny("Invalid ticket");
    List<Host> selected = resolveHosts(spec);
    if (window != null) {
      checkCovered(spec, window, selected);
    }
    Collection<Long> baselineIds;
    if (spec.operation() == Operation.REPAIR) {
      baselineIds = checkReports(spec, selected);
    } else {
      baselineIds = checkBaselines(spec, selected);
    }
    return new PreparedTicket(spec, selected, baselineLabel(baselineIds), TicketHooks.of(pre, post),
        window == null ? null : window.toWindow());
  }

  private StoredWindow resolveWindow(Problems problems, String name) {
    if (name == null) {
      return null;
    }
    Optional<StoredWindow> found = windows.findByName(name);
    if (found.isEmpty()) {
      problems.add("maintenanceWindow", "no maintenance window is named '" + name
          + "'; an admin creates it with POST /api/v1/maintenance-windows");
      return null;
    }
    return found.get();
  }

  /** A window is agreed for the hosts it covers: a ticket bound to it holds no other host. */
  private void checkCovered(TicketSpec spec, StoredWindow window, List<Host> selected) {
    List<String> outside = selected.stream().filter(h -> !MaintenanceWindowSpec.covers(window.selector(), h))
        .map(h -> h.name() + " (id " + h.id() + ")").toList();
    if (!outside.isEmpty()) {
      throw new InvalidInputException(spec.hostIds() != null ? "hostIds" : "selector", outside.size()
          + " host(s) are not covered by maintenance window '" + window.name() + "': " + firstTen(outside)
          + "; leave them out, or widen the window's selector");
    }
  }

  /**
   * The hook version a reference names, copied now: editing or deleting the hook later changes
   * nothing for this ticket.
   */
  private HostHook resolveHook(Problems problems, String field, String reference) {
    if (reference == null) {
      return null;
    }
    var m = TicketSpec.HOOK_REFERENCE.matcher(reference);
    if (!m.matches()) {
      return null; // validate() said so already
    }
    String name = m.group(1);
    var newest = hookScripts.find(name);
    if (newest.isEmpty()) {
      problems.add(field, "no hook is named '" + name + "'; an admin registers it with POST /api/v1/hooks");
      return null;
    }
    if (m.group(2) == null) {
      return newest.get().toHostHook();
    }
    int version = Integer.parseInt(m.group(2));
    if (!newest.get().versions().contains(version)) {
      problems.add(field, "hook '" + name + "' has no version " + version + " (it has " + newest.get().versions() + ")");
      return null;
    }
    return hookScripts.version(name, version).toHostHook();
  }

  /** The names of the baselines a ticket uses, for Temporal's Web UI: "HCE-default", or the first three and how many more. */
  private String baselineLabel(Collection<Long> baselineIds) {
    List<String> names = new ArrayList<>();
    for (Long id : new TreeSet<>(baselineIds.stream().filter(Objects::nonNull).toList())) {
      try {
        names.add(baselines.get(id).name());
      } catch (NotFoundException gone) {
        names.add("#" + id);
      }
    }
    if (names.isEmpty()) {
      return null;
    }
    return names.size() > 3 ? String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more"
        : String.join(", ", names);
  }

  /**
   * Checks a ticket's own fields and resolves its hooks and window, without resolving its hosts:
   * for an inspection plan's repair settings, saved before the hosts a run will repair are known.
   */
  public void checkSettings(TicketSpec spec) {
    Problems problems = new Problems();
    spec.validate(problems, clock.instant());
    checkBaselineExists(spec, problems);
    if (problems.isEmpty()) {
      resolveHook(problems, "preHook", spec.preHook());
      resolveHook(problems, "postHook", spec.postHook());
      resolveWindow(problems, spec.maintenanceWindow());
    }
    problems.throwIfAny("Invalid ticket");
  }

  /** A ticket under a fresh id. */
  public TicketStore.TicketRow create(TicketSpec spec) {
    PreparedTicket ticket = prepare(spec);
    refuseOfflineAgentsIfStartingNow(ticket);
    return launcher.launch(ticket);
  }

  /**
   * Creates the ticket a {@link #prepare} made ready, without resolving its hosts again.
   *
   * @param id the id a caller that retries finds the same ticket under
   * @param key the idempotency key, recorded with the ticket
   */
  public TicketStore.TicketRow create(PreparedTicket ticket, String id, TicketIdempotencyKeys.Claim key) {
    refuseOfflineAgentsIfStartingNow(ticket);
    return launcher.launch(ticket, id, null, key);
  }

  /** The ticket of an inspection plan's run: like a later ticket, it takes hosts whose agent is away. */
  public TicketStore.TicketRow createPlanRun(long planId, TicketSpec spec, String id) {
    return createPlanRun(planId, prepare(spec), id);
  }

  /** As {@link #createPlanRun(long, TicketSpec, String)}, for a ticket the plan prepared (and previewed) already. */
  public TicketStore.TicketRow createPlanRun(long planId, PreparedTicket ticket, String id) {
    return launcher.launch(ticket, id, planId, null);
  }

  private void checkBaselineExists(TicketSpec spec, Problems problems) {
    if (spec.baselineId() != null) {
      try {
        baselines.get(spec.baselineId());
      } catch (NotFoundException e) {
        problems.add("baselineId", "no baseline has id " + spec.baselineId());
      }
    }
  }

  private List<Host> resolveHosts(TicketSpec spec) {
    if (spec.hostIds() != null) {
      Problems problems = new Problems();
      List<Host> found = new ArrayList<>();
      Set<Long> seen = new TreeSet<>();
      for (int i = 0; i < spec.hostIds().size(); i++) {
        Long id = spec.hostIds().get(i);
        if (id == null || !seen.add(id)) {
          problems.add("hostIds[" + i + "]", id == null ? "must be a host id" : "repeats host " + id);
          continue;
        }
        try {
          found.add(hosts.get(id));
        } catch (NotFoundException e) {
          problems.add("hostIds[" + i + "]", "no host has id " + id);
        }
      }
      problems.throwIfAny("Invalid ticket");
      return found;
    }
    var s = spec.selector();
    // the report filters read the report the ticket works from: under its baseline when it names one
    boolean byReport = s.complianceStatus() != null || s.missingAdvisory() != null;
    HostQuery query = new HostQuery(s.tags() == null ? Map.of() : s.tags(), s.osFamily(), null, s.complianceStatus(),
        byReport ? spec.baselineId() : null, s.missingAdvisory());
    List<Host> found = new ArrayList<>();
    for (int page = 0; ; page++) {
      var result = hosts.list(query, PageRequest.of(page, PageRequest.MAX_SIZE));
      found.addAll(result.items());
      if (result.items().size() < PageRequest.MAX_SIZE || found.size() > TicketSpec.MAX_HOSTS) {
        break;
      }
    }
    if (found.isEmpty()) {
      throw new InvalidInputException("selector", "selects no host");
    }
    if (found.size() > TicketSpec.MAX_HOSTS) {
      throw new InvalidInputException("selector", "selects more than " + TicketSpec.MAX_HOSTS + " hosts; split the ticket");
    }
    return found;
  }

  /**
   * A repair installs what a host's newest report marks missing, so every host needs one, under
   * the ticket's baseline when it names one. Refused up front rather than failing host by host.
   *
   * @return the baselines the repair plans with: the ticket's, or those of the hosts' newest reports
   */
  private Collection<Long> checkReports(TicketSpec spec, List<Host> selected) {
    Map<Long, Long> baselineOf = reports.reportBaselines(selected.stream().map(Host::id).toList());
    List<String> without = new ArrayList<>();
    for (Host h : selected) {
      Long b = baselineOf.get(h.id());
      if (b == null || (spec.baselineId() != null && !b.equals(spec.baselineId()))) {
        without.add(h.name() + " (id " + h.id() + ")");
      }
    }
    if (!without.isEmpty()) {
      String field = spec.hostIds() != null ? "hostIds" : "selector";
      String which = firstTen(without);
      throw new InvalidInputException(field, without.size() + " host(s) have no compliance report"
          + (spec.baselineId() == null ? "" : " under baseline " + spec.baselineId()) + " to repair from: " + which
          + "; scan them first, or select only scanned hosts with selector.complianceStatus NON_COMPLIANT");
    }
    return spec.baselineId() != null ? List.of(spec.baselineId()) : new LinkedHashSet<>(baselineOf.values());
  }

  /**
   * Without a baseline, every host's OS needs a default one.
   *
   * @return the baselines the scan evaluates with: the ticket's, or the hosts' OS defaults
   */
  private Collection<Long> checkBaselines(TicketSpec spec, List<Host> selected) {
    if (spec.baselineId() != null) {
      return List.of(spec.baselineId());
    }
    Map<OsFamily, Optional<Baseline>> defaults = new LinkedHashMap<>();
    for (Host h : selected) {
      defaults.computeIfAbsent(h.osFamily(), baselines::defaultFor);
    }
    List<OsFamily> missing = defaults.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
        .toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException("baselineId", "no baseline given and no default baseline for " + missing
          + "; give baselineId or create a baseline for that OS");
    }
    return defaults.values().stream().map(b -> b.orElseThrow().id()).distinct().toList();
  }

  /**
   * A ticket that starts now refuses hosts whose agent is not online: they could only fail. A later
   * ticket, or one an inspection plan starts, takes them; a host whose agent is still away then
   * fails as AGENT_OFFLINE and counts toward the threshold.
   */
  private void refuseOfflineAgentsIfStartingNow(PreparedTicket ticket) {
    TicketSpec spec = ticket.spec();
    if (spec.startAt() != null) {
      return;
    }
    List<String> offline = ticket.hosts().stream()
        .filter(h -> h.access() == AccessMode.AGENT && (h.agent() == null || !h.agent().online()))
        .map(h -> h.name() + " (id " + h.id() + ", agent " + (h.agent() == null ? "NEVER_SEEN" : h.agent().describe()) + ")")
        .toList();
    if (!offline.isEmpty()) {
      String which = firstTen(offline);
      throw new ConflictException(spec.hostIds() != null ? "hostIds" : "selector", offline.size()
          + " host(s) are reached through their Patchloop agent, which is not online: " + which
          + "; start the agent on them (systemctl start patchloop-agent) or leave them out");
    }
  }

  /** Hosts named in a refusal: the first ten, then how many more, so the message stays readable. */
  private static String firstTen(List<String> hosts) {
    return hosts.size() > 10
        ? String.join(", ", hosts.subList(0, 10)) + " and " + (hosts.size() - 10) + " more"
        : String.join(", ", hosts);
  }
}
