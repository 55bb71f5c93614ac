package io.patchloop.workflows.scan;

/**
 * @param baselineId null for the host's OS default baseline
 * @param ticketId the ticket the scan belongs to, or null for a scan outside tickets
 */
public record ScanRequest(long hostId, Long baselineId, String ticketId) {}
