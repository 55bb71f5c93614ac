package io.patchloop.console;

import io.patchloop.tickets.TicketStore;

/** A ticket row with what a progress bar needs. */
record TicketView(TicketStore.TicketRow ticket, int done, int percent) {

  static TicketView of(TicketStore.TicketRow t) {
    return of(t, t.succeeded() + t.failed() + t.notRun());
  }

  static TicketView of(TicketStore.TicketRow t, int done) {
    return new TicketView(t, done, t.hostCount() == 0 ? 0 : (int) Math.round(100.0 * done / t.hostCount()));
  }
}
