package io.patchloop.workflows.window;

import io.patchloop.workflows.plan.Cron;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A maintenance window as a ticket carries it, copied when the ticket is created: opens at each
 * fire time of {@code cron} in {@code timeZone} and stays open {@code durationMinutes}. Pure
 * computation over the time it is given, so workflow code may ask it with
 * {@code Workflow.currentTimeMillis()}.
 *
 * @param onClose what a ticket does when the window closes while it has hosts left
 */
public record MaintenanceWindow(String name, String cron, String timeZone, int durationMinutes, OnClose onClose) {

  /** What a ticket bound to a window does at the window's end, once its running hosts finished. */
  public enum OnClose {
    /** Starts no new host until the next opening, then goes on. */
    WAIT,
    /** Ends: the hosts that did not start are recorded NOT_RUN. */
    END
  }

  /**
   * Whether the window is open at {@code millis}, and when that changes: when it closes if it is
   * open, when it next opens if not.
   */
  public State at(long millis) {
    ZoneId zone = ZoneId.of(timeZone);
    long durationMillis = durationMinutes * 60_000L;
    // the first opening after (now - duration) is the one that may still be open now
    ZonedDateTime since = Instant.ofEpochMilli(millis - durationMillis).atZone(zone);
    long opening = Cron.parse(cron).next(since, zone).toInstant().toEpochMilli();
    if (opening <= millis) {
      return new State(true, opening + durationMillis);
    }
    return new State(false, opening);
  }

  /** @param changesAtMillis epoch millis when an open window closes, or a closed one opens */
  public record State(boolean open, long changesAtMillis) {}

  public OnClose onCloseOrDefault() {
    return onClose == null ? OnClose.WAIT : onClose;
  }
}
