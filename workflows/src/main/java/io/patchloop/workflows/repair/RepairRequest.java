package io.patchloop.workflows.repair;

/**
 * @param baselineId null: the baseline of the host's newest report
 * @param ticketId the repair ticket, recorded on the report it leaves
 */
public record RepairRequest(long hostId, Long baselineId, String ticketId) {}
