package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.testing.db.TestDatabase;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The V11 migration on keys stored before keys had owners (review M2): they keep answering as
 * owner '', a key whose ticket is gone is removed, and from then on a key goes with its ticket.
 */
class IdempotencyKeyOwnerMigrationTest {

  TestDatabase.Database db;
  JdbcClient jdbc;

  @BeforeEach
  void aDatabaseAtV10() {
    db = TestDatabase.create("keyowner");
    jdbc = JdbcClient.create(new DriverManagerDataSource(db.url(), db.username(), db.password()));
    flyway("10").migrate();
  }

  @AfterEach
  void drop() {
    TestDatabase.drop(db);
  }

  Flyway flyway(String target) {
    return Flyway.configure().dataSource(db.url(), db.username(), db.password()).locations("classpath:db/migration")
        .target(target).load();
  }

  @Test
  void keysStoredBeforeOwnersBelongToNoTokenAndAKeyWithoutItsTicketIsRemoved() {
    jdbc.sql("INSERT INTO tickets (id, operation, status, parameters, host_count, created_at)"
        + " VALUES ('scan-key-made', 'SCAN', 'RUNNING', '{}', 0, NOW(3))").update();
    jdbc.sql("INSERT INTO ticket_idempotency_keys (idempotency_key, body_sha256, ticket_id, created_at)"
        + " VALUES ('CHG-made', REPEAT('a', 64), 'scan-key-made', NOW(3))").update();
    jdbc.sql("INSERT INTO ticket_idempotency_keys (idempotency_key, body_sha256, ticket_id, created_at)"
        + " VALUES ('CHG-start-failed', REPEAT('b', 64), 'scan-key-never-started', NOW(3))").update();

    flyway("latest").migrate();

    TicketIdempotencyKeys keys = new TicketIdempotencyKeys(jdbc, Clock.systemUTC());
    assertThat(keys.find("any-token", "CHG-made")).hasValueSatisfying(use -> {
      assertThat(use.beforeOwners()).isTrue();
      assertThat(use.ticketId()).isEqualTo("scan-key-made");
    });
    assertThat(keys.find("any-token", "CHG-start-failed")).as("it made no ticket").isEmpty();

    keys.record(new TicketIdempotencyKeys.Claim("any-token", "CHG-made", "c".repeat(64)), "scan-key-made");
    assertThat(keys.find("any-token", "CHG-made")).as("the token's own use comes first")
        .hasValueSatisfying(use -> assertThat(use.owner()).isEqualTo("any-token"));

    jdbc.sql("DELETE FROM tickets WHERE id = 'scan-key-made'").update();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket_idempotency_keys").query(Integer.class).single())
        .as("keys go with their ticket").isZero();
    assertThatThrownBy(() -> jdbc.sql("INSERT INTO ticket_idempotency_keys (owner, idempotency_key, body_sha256,"
        + " ticket_id, created_at) VALUES ('t', 'k', REPEAT('d', 64), 'no-such-ticket', NOW(3))").update())
        .as("no key without its ticket").hasMessageContaining("foreign key");
  }
}
