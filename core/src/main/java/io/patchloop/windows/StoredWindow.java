package io.patchloop.windows;

import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.window.MaintenanceWindow;
import java.time.Instant;

/** A maintenance window as stored and shown. */
public record StoredWindow(long id, String name, String description, String cron, String timeZone,
    int durationMinutes, MaintenanceWindow.OnClose onClose, TicketSpec.Selector selector, Instant createdAt,
    Instant updatedAt) {

  /** What a ticket copies into its workflow input. */
  public MaintenanceWindow toWindow() {
    return new MaintenanceWindow(name, cron, timeZone, durationMinutes, onClose);
  }
}
