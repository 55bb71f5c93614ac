package io.patchloop.workflows.scan;

import io.patchloop.workflows.ticket.Operation;

/**
 * @param baselineId null for the host's OS default baseline
 * @param ticketId the ticket the scan belongs to, or null for a scan outside tickets
 * @param reportOperation what the report says produced it: SCAN (null), or REPAIR for the scan
 *     that closes a repair after a reboot
 */
public record ScanRequest(long hostId, Long baselineId, String ticketId, Operation reportOperation) {

  public ScanRequest(long hostId, Long baselineId, String ticketId) {
    this(hostId, baselineId, ticketId, null);
  }
}
