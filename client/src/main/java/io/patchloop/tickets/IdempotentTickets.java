package io.patchloop.tickets;

import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Ticket creation that a caller may retry: the same {@code Idempotency-Key} from the same API
 * token with the same body gives the same ticket, whichever API replica answers and however many
 * ask at once. Keys belong to the token that sends them: another token's use of the same key makes
 * another ticket, and a 409 only ever names the caller's own ticket. Two things hold it: a unique
 * row per token and key, written in the transaction that writes the ticket (the first body wins;
 * another body with that key is a conflict), and a ticket id, which is also the workflow id,
 * derived from the token and the key (a second insert of the ticket row fails, and Temporal keeps
 * one workflow per id).
 *
 * <p>A repeated request is answered from what was stored, before it is checked again: the ticket
 * may have ended, its hosts changed or its {@code startAt} passed since, and the caller's retry
 * must still get the ticket it made rather than a 400. The body is compared by the hash of its
 * canonical form, in which {@code selector.tags} in any order are the same.
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
  private final TicketIdempotencyKeys keys;

  public IdempotentTickets(TicketService tickets, TicketStore store, TicketIdempotencyKeys keys) {
    this.tickets = tickets;
    this.store = store;
    this.keys = keys;
  }

  /**
   * @param owner the name of the API token that sent the request
   * @param key the request's {@code Idempotency-Key}
   */
  public Outcome create(TicketSpec spec, String owner, String key) {
    if (!KEY.matcher(key).matches()) {
      throw new InvalidInputException("Idempotency-Key", "must be 1-128 printable ASCII characters, such as a UUID");
    }
    TicketIdempotencyKeys.Claim claim = new TicketIdempotencyKeys.Claim(owner, key, sha256(spec.canonicalJson()));
    Optional<TicketStore.TicketRow> before = madeBefore(claim, spec);
    if (before.isPresent()) {
      return new Outcome(before.get(), true);
    }
    // a request that cannot become a ticket does not claim its key, so the caller may fix it and retry
    PreparedTicket prepared = tickets.prepare(spec);
    try {
      return new Outcome(tickets.create(prepared, TicketIds.fromIdempotencyKey(spec.operation(), owner, key), claim),
          false);
    } catch (ConflictException e) {
      // a concurrent request with the same key committed its ticket first: this is a retry of it
      return new Outcome(madeBefore(claim, spec).orElseThrow(() -> e), true);
    }
  }

  /**
   * The ticket the key made before, or empty when it made none for this caller.
   *
   * @throws ConflictException when the caller used the key before with another body
   */
  private Optional<TicketStore.TicketRow> madeBefore(TicketIdempotencyKeys.Claim claim, TicketSpec spec) {
    Optional<TicketIdempotencyKeys.KeyUse> found = keys.find(claim.owner(), claim.key());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    TicketIdempotencyKeys.KeyUse use = found.get();
    if (use.beforeOwners()) {
      // any caller's, maybe this one's retry across the upgrade: the same body gets its ticket, another
      // body a ticket of its own, and never a 409 that would show someone else's ticket
      boolean sameBody = use.bodySha256().equals(claim.bodySha256())
          || use.bodySha256().equals(sha256(spec.canonicalJsonInGivenOrder()));
      return sameBody ? ticket(use.ticketId()) : Optional.empty();
    }
    if (!use.bodySha256().equals(claim.bodySha256())) {
      throw new ConflictException("Idempotency-Key", "was first used at " + use.at() + " with a different request body"
          + " (ticket " + use.ticketId() + "); a new ticket needs a new key");
    }
    return ticket(use.ticketId());
  }

  /** Empty when the ticket went in the meantime (its workflow did not start, and it took its key with it). */
  private Optional<TicketStore.TicketRow> ticket(String id) {
    try {
      return Optional.of(store.get(id));
    } catch (NotFoundException gone) {
      return Optional.empty();
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
