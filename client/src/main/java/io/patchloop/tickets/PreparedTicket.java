package io.patchloop.tickets;

import io.patchloop.hosts.Host;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchPlanner;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.SuspensionSpec;
import io.patchloop.workflows.ticket.TicketHost;
import java.util.List;

/**
 * A ticket request checked and its hosts resolved, in the order the ticket plans with: what both
 * creating and previewing a ticket start from, so a preview shows the batches the ticket runs.
 * The settings are the request's, with the defaults of those it left out.
 */
public record PreparedTicket(TicketSpec spec, List<Host> hosts) {

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

  public List<TicketHost> ticketHosts() {
    String groupTag = batch().tagKey();
    return hosts.stream()
        .map(h -> new TicketHost(h.id(), groupTag == null ? null : h.tags().get(groupTag)))
        .toList();
  }

  public List<List<Long>> batches() {
    return BatchPlanner.plan(ticketHosts(), batch());
  }
}
