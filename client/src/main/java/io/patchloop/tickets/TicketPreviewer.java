package io.patchloop.tickets;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.hosts.Host;
import io.patchloop.repair.RebootNeed;
import io.patchloop.repair.RepairPlanner;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.ticket.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Builds a ticket's preview from the same preparation and batch planner the ticket itself uses; changes nothing. */
@Service
public class TicketPreviewer {

  private final TicketService tickets;
  private final ReportStore reports;
  private final BaselineStore baselines;

  public TicketPreviewer(TicketService tickets, ReportStore reports, BaselineStore baselines) {
    this.tickets = tickets;
    this.reports = reports;
    this.baselines = baselines;
  }

  public TicketPreview preview(TicketSpec spec) {
    return preview(tickets.prepare(spec));
  }

  /** The preview of a ticket prepared already: the very hosts and batches it is created with. */
  public TicketPreview preview(PreparedTicket p) {
    TicketSpec spec = p.spec();
    Map<Long, Host> byId = p.hosts().stream().collect(Collectors.toMap(Host::id, Function.identity()));
    List<List<Long>> planned = p.batches();
    Map<Long, Baseline> baselineCache = new HashMap<>();
    List<TicketPreview.Batch> batches = new ArrayList<>();
    List<Long> rebootHosts = new ArrayList<>();
    for (int b = 0; b < planned.size(); b++) {
      List<TicketPreview.HostPlan> hosts = new ArrayList<>();
      for (Long id : planned.get(b)) {
        Host h = byId.get(id);
        TicketPreview.HostPlan plan = spec.operation() == Operation.REPAIR
            ? repairPlan(h, baselineCache)
            : new TicketPreview.HostPlan(h.id(), h.name(), h.osFamily().name(), h.tags(), List.of(), List.of(), false);
        if (plan.rebootExpected()) {
          rebootHosts.add(h.id());
        }
        hosts.add(plan);
      }
      batches.add(new TicketPreview.Batch(b + 1, hosts));
    }
    Map<String, List<TicketPreview.Group>> groups = groups(p.hosts(), planned);
    return new TicketPreview(spec.operation(), p.hosts().size(), p.rebootOption(), batches, rebootHosts, groups,
        warnings(groups));
  }

  private TicketPreview.HostPlan repairPlan(Host h, Map<Long, Baseline> baselineCache) {
    // prepare() checked that every host has a report under the ticket's baseline
    HostReport report = reports.newest(h.id()).orElseThrow();
    Baseline baseline = baselineCache.computeIfAbsent(report.baselineId(), baselines::get);
    RepairPlan plan = RepairPlanner.plan(report, baseline);
    boolean reboot = RebootNeed.expected(report, plan);
    return new TicketPreview.HostPlan(h.id(), h.name(), h.osFamily().name(), h.tags(),
        plan.patches().stream().map(TicketPreview.PatchPlan::of).toList(), plan.blockedPackageGlobs(), reboot);
  }

  /** Every tag key of the ticket's hosts, every value of it: its hosts per batch. */
  static Map<String, List<TicketPreview.Group>> groups(List<Host> hosts, List<List<Long>> batches) {
    Map<Long, Integer> batchOf = new HashMap<>();
    for (int b = 0; b < batches.size(); b++) {
      for (Long id : batches.get(b)) {
        batchOf.put(id, b);
      }
    }
    Map<String, Map<String, int[]>> counts = new TreeMap<>();
    for (Host h : hosts) {
      h.tags().forEach((k, v) -> counts.computeIfAbsent(k, x -> new TreeMap<>())
          .computeIfAbsent(v, x -> new int[batches.size()])[batchOf.get(h.id())]++);
    }
    Map<String, List<TicketPreview.Group>> groups = new LinkedHashMap<>();
    counts.forEach((key, values) -> {
      List<TicketPreview.Group> list = new ArrayList<>();
      values.forEach((value, perBatch) -> {
        int total = java.util.Arrays.stream(perBatch).sum();
        List<Integer> n = java.util.Arrays.stream(perBatch).boxed().toList();
        List<Integer> pct = n.stream().map(x -> (int) Math.round(100.0 * x / total)).toList();
        list.add(new TicketPreview.Group(value, total, n, pct));
      });
      groups.put(key, list);
    });
    return groups;
  }

  static List<String> warnings(Map<String, List<TicketPreview.Group>> groups) {
    List<String> warnings = new ArrayList<>();
    groups.forEach((key, list) -> list.forEach(g -> {
      if (g.hosts() < 2) {
        return; // a group of one host is always whole wherever it goes
      }
      for (int b = 0; b < g.perBatch().size(); b++) {
        if (g.perBatch().get(b) == g.hosts()) {
          warnings.add("batch " + (b + 1) + " holds every host of " + key + "=" + g.value() + " (" + g.hosts()
              + " of " + g.hosts() + ")");
        }
      }
    }));
    return warnings;
  }
}
