package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The wait of a host step for the database, on the exceptions Spring's JDBC layer raises (the
 * end-to-end stall of a real MariaDB is in ScanTicketEndToEndTest; which step it meets there
 * depends on timing, so the wait's own rules are pinned here).
 */
class DatabaseWaitTest {

  @Test
  void aDatabaseThatComesBackIsWaitedFor() {
    AtomicInteger tries = new AtomicInteger();
    String host = DatabaseWait.forRead("the host", () -> {
      if (tries.incrementAndGet() < 3) {
        throw new CannotGetJdbcConnectionException("HikariPool-1 - Connection is not available");
      }
      return "web-1";
    });
    assertThat(host).isEqualTo("web-1");
    assertThat(tries).hasValue(3);
  }

  @Test
  void aQueryThatTimedOutIsAnOutageToo() {
    assertThat(DatabaseWait.isOutage(new QueryTimeoutException("timeout"))).isTrue();
  }

  /** Not the database being away: a bug or bad data, which waiting cannot mend. */
  @Test
  void anyOtherErrorIsNotWaitedFor() {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(() -> DatabaseWait.forRead("the host", () -> {
      tries.incrementAndGet();
      throw new DataIntegrityViolationException("Data too long");
    })).isInstanceOf(DataIntegrityViolationException.class);
    assertThat(tries).hasValue(1);
  }

  @Test
  void anAbandonedWaitEndsAtOnceAsDatabaseUnavailable() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> DatabaseWait.forRead("the host", () -> {
        throw new CannotGetJdbcConnectionException("away");
      })).isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("DATABASE_UNAVAILABLE"));
    } finally {
      Thread.interrupted();
    }
  }
}
