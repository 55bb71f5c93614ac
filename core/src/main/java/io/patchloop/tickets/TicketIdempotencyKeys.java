package io.patchloop.tickets;

import io.patchloop.common.ConflictException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code Idempotency-Key}s tickets were made with: one row per owner (the API token's name)
 * and key, holding the hash of the body it came with and the ticket it made. A row is written in
 * the transaction that writes its ticket and goes when the ticket goes (a foreign key), so a key
 * never names a ticket that is not there.
 */
@Repository
public class TicketIdempotencyKeys {

  /** The owner of keys stored before keys had owners (see the V11 migration). */
  public static final String BEFORE_OWNERS = "";

  /** The longest owner (token name) a key row can hold. */
  public static final int MAX_OWNER = 128;

  /**
   * A key as a request claims it.
   *
   * @param owner the name of the API token that sent the request
   * @param bodySha256 the hash of the request's canonical body
   */
  public record Claim(String owner, String key, String bodySha256) {
    public Claim {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(bodySha256, "bodySha256");
      if (owner.equals(BEFORE_OWNERS) || owner.length() > MAX_OWNER) {
        throw new IllegalArgumentException("a key's owner is a token name of 1 to " + MAX_OWNER + " characters");
      }
    }
  }

  /** How a key was first used: by whom, with which body, for which ticket, when. */
  public record KeyUse(String owner, String bodySha256, String ticketId, Instant at) {

    /** Stored before keys had owners: it may be any caller's. */
    public boolean beforeOwners() {
      return owner.equals(BEFORE_OWNERS);
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  public TicketIdempotencyKeys(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The owner's use of the key; failing that, a use stored before keys had owners; else empty.
   */
  public Optional<KeyUse> find(String owner, String key) {
    return jdbc.sql("SELECT owner, body_sha256, ticket_id, created_at FROM ticket_idempotency_keys"
            + " WHERE idempotency_key = ? AND owner IN (?, ?) ORDER BY owner = ? LIMIT 1")
        .params(key, owner, BEFORE_OWNERS, BEFORE_OWNERS)
        .query((rs, n) -> new KeyUse(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
        .optional();
  }

  /**
   * Records that the claim made the ticket; to be called in the transaction that writes the ticket.
   *
   * @throws ConflictException (field {@code Idempotency-Key}) when the owner used the key already,
   *     such as in a concurrent request that committed first
   */
  public void record(Claim claim, String ticketId) {
    try {
      jdbc.sql("INSERT INTO ticket_idempotency_keys (owner, idempotency_key, body_sha256, ticket_id, created_at)"
              + " VALUES (?, ?, ?, ?, ?)")
          .params(claim.owner(), claim.key(), claim.bodySha256(), ticketId,
              Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS)))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("Idempotency-Key", "was used by another request at the same time");
    }
  }
}
