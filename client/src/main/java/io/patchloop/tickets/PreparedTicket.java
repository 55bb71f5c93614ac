package io.patchloop.tickets;

import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.workflows.hooks.TicketHooks;
import io.patchloop.workflows.window.MaintenanceWindow;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchPlanner;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.SuspensionSpec;
import io.patchloop.workflows.ticket.TicketHost;
import io.patchloop.workflows.ticket.TicketLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ticket request checked and its hosts resolved, in the order the ticket plans with: what both
 * creating and previewing a ticket start from, so a preview shows the batches the ticket runs.
 * The settings are the request's, with the defaults of those it left out.
 *
 * @param baselineLabel what the ticket's baseline is called, for Temporal's Web UI: the named
 *     baseline's name, or the baselines the hosts' OS defaults (a scan) or newest reports (a repair)
 *     give; null when unknown
 * @param hooks the hook versions the spec's {@code preHook} and {@code postHook} name, copied when
 *     the ticket was prepared; null for none
 * @param window the maintenance window the spec names, copied when the ticket was prepared; null for none
 */
public record PreparedTicket(TicketSpec spec, List<Host> hosts, String baselineLabel, TicketHooks hooks,
    MaintenanceWindow window) {

  public PreparedTicket(TicketSpec spec, List<Host> hosts) {
    this(spec, hosts, null, null, null);
  }

  public PreparedTicket(TicketSpec spec, List<Host> hosts, String baselineLabel) {
    this(spec, hosts, baselineLabel, null, null);
  }

  public BatchSpec batch() {
    return spec.batchOrDefault();
  }

  public int concurrency() {
    return spec.concurrencyOrDefault();
  }

  public SuspensionSpec suspension() {
    return spec.suspensionOrDefault();
  }

  public RebootOption rebootOption() {
    return spec.rebootOptionOrDefault();
  }

  public int rebootTimeoutSeconds() {
    return spec.rebootTimeoutSecondsOrDefault();
  }

  public MetadataRefresh metadataRefresh() {
    return spec.metadataRefreshOrDefault();
  }

  public List<TicketHost> ticketHosts() {
    String groupTag = batch().tagKey();
    return hosts.stream()
        .map(h -> new TicketHost(h.id(), groupTag == null ? null : h.tags().get(groupTag)))
        .toList();
  }

  /** The most characters of one host's label: the summaries it goes into stay short. */
  static final int MAX_LABEL_CHARS = 96;
  /**
   * The most characters of all hosts' labels together. They travel in the ticket's workflow input
   * (and each batch's), which Temporal caps at 2 MB; 10,000 hosts of ordinary names fit, and hosts
   * past the budget are named by id in the UI.
   */
  static final int MAX_LABELS_CHARS = 512 * 1024;

  /** The baseline's and each host's name for Temporal's Web UI's summaries ("lab01 127.0.0.1:2201"). */
  public TicketLabels labels() {
    Map<Long, String> names = new LinkedHashMap<>();
    int chars = 0;
    for (Host h : hosts) {
      String label = label(h);
      chars += label.length();
      if (chars > MAX_LABELS_CHARS) {
        break;
      }
      names.put(h.id(), label);
    }
    return new TicketLabels(baselineLabel == null ? null : cut(baselineLabel), names);
  }

  /** "lab01 127.0.0.1:2201" for a host reached over SSH, "lab01 10.0.0.7 (agent)" for one reached through its agent. */
  static String label(Host h) {
    return cut(h.name() + " " + h.address() + (h.access() == AccessMode.AGENT ? " (agent)" : ":" + h.port()));
  }

  private static String cut(String label) {
    if (label.length() <= MAX_LABEL_CHARS) {
      return label;
    }
    int end = MAX_LABEL_CHARS - 1;
    if (Character.isHighSurrogate(label.charAt(end - 1))) {
      end--;
    }
    return label.substring(0, end) + "…";
  }

  public List<List<Long>> batches() {
    return BatchPlanner.plan(ticketHosts(), batch());
  }
}
