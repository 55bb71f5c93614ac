package io.patchloop.workflows.ticket;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names for Temporal's Web UI, fixed when the ticket is created: the baseline's, and each host's
 * name and address, so that the UI's summaries read "scan lab01 127.0.0.1:2201" rather than an id.
 * Only ever shown, never acted upon. Tickets and batches started before labels existed carry none
 * (null), and their summaries name hosts by id.
 *
 * @param baseline what the ticket's baseline is called ("HCE-default"; for a ticket without one,
 *     the OS defaults it uses)
 * @param hosts each host's label ("lab01 127.0.0.1:2201"), by host id
 */
public record TicketLabels(String baseline, Map<Long, String> hosts) {

  /** The host's label, or "host 42" without one. */
  public String host(long hostId) {
    String label = hosts == null ? null : hosts.get(hostId);
    return label == null ? "host " + hostId : label;
  }

  /** The same labels for {@code hostIds} only (one batch's, or a batch's remaining hosts). */
  public TicketLabels narrowedTo(Collection<Long> hostIds) {
    Map<Long, String> mine = new LinkedHashMap<>();
    if (hosts != null) {
      for (Long id : hostIds) {
        String label = hosts.get(id);
        if (label != null) {
          mine.put(id, label);
        }
      }
    }
    return new TicketLabels(baseline, mine);
  }

  /** {@code labels}' host label, or "host 42" when there are no labels. */
  static String host(TicketLabels labels, long hostId) {
    return labels == null ? "host " + hostId : labels.host(hostId);
  }
}
