package io.patchloop.hoststeps;

import io.patchloop.workflows.host.HostErrorKind;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The platform's database out of reach (a failover, a restart, a stalled server) is not the
 * host's fault. Central steps are retried by Temporal for minutes when it is away; a host step,
 * which has only three attempts, instead waits for the database here, within the attempt, before
 * it reads what it needs (the host, its credential), so a database outage never fails a host.
 */
final class DatabaseWait {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);
  /** Longer than a failover; within the step's start-to-close timeout together with the host work. */
  static final Duration PATIENCE = Duration.ofMinutes(5);

  private DatabaseWait() {}

  static boolean isOutage(RuntimeException e) {
    return e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
        || e instanceof CannotCreateTransactionException;
  }

  /** Runs {@code read}, trying again 1 s to 15 s apart while the database is out of reach, up to {@link #PATIENCE}. */
  static <T> T forRead(String what, Supplier<T> read) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long pauseMillis = 1000;
    while (true) {
      try {
        return read.get();
      } catch (RuntimeException e) {
        if (!isOutage(e)) {
          throw e;
        }
        if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
          throw HostErrorKind.DATABASE_UNAVAILABLE.failure("the database did not answer for " + PATIENCE.toMinutes()
              + " min while reading " + what + ": " + e.getMessage());
        }
        log.warn("the database did not answer while reading {}; trying again in {} ms: {}", what, pauseMillis,
            e.getMessage());
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw HostErrorKind.DATABASE_UNAVAILABLE.failure("abandoned while waiting for the database");
        }
        pauseMillis = Math.min(15_000, pauseMillis * 2);
      }
    }
  }
}
