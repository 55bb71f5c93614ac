package io.patchloop.hoststeps;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats while an activity waits on a host. A host command can run for minutes; the heartbeat
 * lets Temporal notice within the heartbeat timeout that a worker died, instead of waiting out the
 * whole start-to-close timeout before the host is tried again.
 */
public final class Heartbeats {

  private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "activity-heartbeat");
    t.setDaemon(true);
    return t;
  });
  static final long INTERVAL_SECONDS = 5;

  private Heartbeats() {}

  public static <T> T during(Supplier<T> work) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return work.get(); // called directly (tests, tools): nobody to heartbeat to
    }
    ScheduledFuture<?> ticking = TICKER.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(null);
      } catch (RuntimeException cancelledOrGone) {
        // the activity was cancelled or timed out; the work itself notices through its own timeouts
      }
    }, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      ticking.cancel(false);
    }
  }
}
