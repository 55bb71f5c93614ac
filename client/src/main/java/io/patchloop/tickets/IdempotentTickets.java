package io.patchloop.tickets;

import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Ticket creation that a caller may retry: the same {@code Idempotency-Key} with the same body
 * gives the same ticket, whichever API replica answers and however many ask at once. Two things
 * hold it: a unique row per key in MySQL (the first body wins; another body with that key is a
 * conflict), and a ticket id, which is also the workflow id, derived from the key (a second
 * insert of the ticket row fails, and Temporal keeps one workflow per id).
 *
 * <p>A repeated request is answered from what was stored, before it is checked again: the ticket
 * may have ended, its hosts changed or its {@code startAt} passed since, and the caller's retry
 * must still get the ticket it made rather than a 400.
 *
 * <p>Keys are kept as long as the tickets (at least the 24 hours callers may retry within).
 */
@Service
public class IdempotentTickets {

  /** Printable ASCII, as the IETF draft and most ITSM tools make keys (UUIDs, change numbers with a suffix). */
  static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  /** @param replayed true when the key had made this ticket before: the API answers 200, not 201 */
  public record Outcome(TicketStore.TicketRow ticket, boolean replayed) {}

  private final TicketService tickets;
  private final TicketStore store;
  private final JdbcClient jdbc;
  private final Clock clock;

  public IdempotentTickets(TicketService tickets, TicketStore store, JdbcClient jdbc, Clock clock) {
    this.tickets = tickets;
    this.store = store;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Outcome create(TicketSpec spec, String key) {
    if (!KEY.matcher(key).matches()) {
      throw new InvalidInputException("Idempotency-Key", "must be 1-128 printable ASCII characters, such as a UUID");
    }
    String bodyHash = sha256(spec.canonicalJson());
    Optional<KeyUse> before = firstUse(key);
    if (before.isPresent()) {
      Optional<TicketStore.TicketRow> made = before.get().ticketFor(bodyHash, store);
      if (made.isPresent()) {
        return new Outcome(made.get(), true);
      }
    }
    // a request that cannot become a ticket does not claim its key, so the caller may fix it and retry
    PreparedTicket prepared = tickets.prepare(spec);
    jdbc.sql("INSERT IGNORE INTO ticket_idempotency_keys (idempotency_key, body_sha256, ticket_id, created_at)"
            + " VALUES (?, ?, ?, ?)")
        .params(key, bodyHash, TicketIds.fromIdempotencyKey(spec.operation(), key), Timestamp.from(clock.instant()))
        .update();
    KeyUse first = firstUse(key).orElseThrow();
    Optional<TicketStore.TicketRow> made = first.ticketFor(bodyHash, store);
    if (made.isPresent()) {
      return new Outcome(made.get(), true);
    }
    try {
      return new Outcome(tickets.create(prepared, first.ticketId()), false);
    } catch (ConflictException madeMeanwhile) {
      // a concurrent request with the same key made it right now
      return new Outcome(store.get(first.ticketId()), true);
    }
  }

  /** How a key was first used: with which body, for which ticket, when. */
  private record KeyUse(String bodySha256, String ticketId, Instant at) {

    /**
     * The ticket this use made, or empty while it is being made (or its start failed).
     *
     * @throws ConflictException when the key was first used with another body
     */
    Optional<TicketStore.TicketRow> ticketFor(String bodyHash, TicketStore store) {
      if (!bodySha256.equals(bodyHash)) {
        throw new ConflictException("Idempotency-Key", "was first used at " + at + " with a different request body"
            + " (ticket " + ticketId + "); a new ticket needs a new key");
      }
      try {
        return Optional.of(store.get(ticketId));
      } catch (NotFoundException notYet) {
        return Optional.empty();
      }
    }
  }

  private Optional<KeyUse> firstUse(String key) {
    return jdbc.sql("SELECT body_sha256, ticket_id, created_at FROM ticket_idempotency_keys WHERE idempotency_key = ?")
        .param(key)
        .query((rs, n) -> new KeyUse(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
        .optional();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
