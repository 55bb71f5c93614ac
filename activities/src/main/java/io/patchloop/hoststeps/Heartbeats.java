package io.patchloop.hoststeps;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats while an activity waits on a host. A host command can run for minutes; the heartbeat
 * lets Temporal notice within the heartbeat timeout that a worker died, instead of waiting out the
 * whole start-to-close timeout before the host is tried again.
 *
 * <p>The heartbeat is also how the work learns that Temporal gave up on it (cancelled, timed out):
 * the working thread is then interrupted, and a host command it waits on is stopped on the host
 * (see the SSH session), so a retry never runs beside a forgotten first attempt.
 */
public final class Heartbeats {

  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "activity-heartbeat");
    t.setDaemon(true);
    return t;
  });
  static final long INTERVAL_SECONDS = 5;
  /** The details the running activity recorded: its ticking heartbeats repeat them (the newest heartbeat's details are the ones kept). */
  private static final ThreadLocal<AtomicReference<Object>> DETAILS = new ThreadLocal<>();

  private Heartbeats() {}

  public static <T> T during(Supplier<T> work) {
    ActivityExecutionContext context = context().orElse(null);
    if (context == null) {
      return work.get(); // called directly (tests, tools): nobody to heartbeat to
    }
    Thread worker = Thread.currentThread();
    AtomicBoolean abandoned = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    AtomicReference<Object> details = new AtomicReference<>();
    DETAILS.set(details);
    ScheduledFuture<?> ticking = TICKER.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(details.get());
      } catch (ActivityCompletionException gaveUp) {
        synchronized (finished) {
          if (!finished.get() && abandoned.compareAndSet(false, true)) {
            log.info("activity {} was {}: stopping its host work", context.getInfo().getActivityType(),
                gaveUp.getClass().getSimpleName());
            worker.interrupt();
          }
        }
      } catch (RuntimeException e) {
        // a heartbeat that could not be sent (Temporal briefly away): the next one tries again
      }
    }, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      DETAILS.remove();
      ticking.cancel(false);
      synchronized (finished) {
        finished.set(true);
      }
      if (abandoned.get()) {
        Thread.interrupted(); // the interrupt was for the work; the worker's thread goes back clean
      }
    }
  }

  /** What an earlier attempt of this activity recorded with {@link #record}, if any. */
  public static <T> Optional<T> recorded(Class<T> type) {
    return context().flatMap(c -> c.getHeartbeatDetails(type));
  }

  /** Records {@code details} for a later attempt of this activity (kept by Temporal across retries). */
  public static void record(Object details) {
    AtomicReference<Object> ticking = DETAILS.get();
    if (ticking != null) {
      ticking.set(details);
    }
    context().ifPresent(c -> c.heartbeat(details));
  }

  private static Optional<ActivityExecutionContext> context() {
    try {
      return Optional.of(Activity.getExecutionContext());
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return Optional.empty();
    }
  }
}
