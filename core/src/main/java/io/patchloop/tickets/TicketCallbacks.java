package io.patchloop.tickets;

import io.patchloop.common.DeliveryStatus;
import io.patchloop.secrets.SecretCipher;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The callback of a ticket: where to POST when it ends, its secret (encrypted), and how that went. */
@Repository
public class TicketCallbacks {

  static final String PURPOSE = "patchloop/ticket-callback/secret";

  /**
   * As the API shows it: never the secret. {@code status}: PENDING, SENT or FAILED; {@code lastError}
   * the short reason; {@code lastErrorDetail} what the remote end said (at most 200 printable characters), for admins only.
   */
  public record CallbackStatus(String url, boolean signed, DeliveryStatus status, int attempts, String lastError,
      String lastErrorDetail, Instant finishedAt) {

    /** As a caller who is no admin sees it. */
    public CallbackStatus withoutDetail() {
      return new CallbackStatus(url, signed, status, attempts, lastError, null, finishedAt);
    }
  }

  /** For the sender only. */
  public record Callback(String ticketId, String url, String secret, DeliveryStatus status) {}

  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final Clock clock;

  public TicketCallbacks(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  public void register(String ticketId, String url, String secret) {
    jdbc.sql("INSERT INTO ticket_callbacks (ticket_id, url, secret, status) VALUES (?, ?, ?, ?)")
        .params(ticketId, url, secret == null ? null : Base64.getEncoder().encodeToString(cipher.encrypt(secret, PURPOSE)),
            DeliveryStatus.PENDING.name())
        .update();
  }

  public Optional<Callback> find(String ticketId) {
    return jdbc.sql("SELECT * FROM ticket_callbacks WHERE ticket_id = ?").param(ticketId)
        .query((rs, n) -> new Callback(ticketId, rs.getString("url"), rs.getString("secret") == null ? null
            : cipher.decrypt(Base64.getDecoder().decode(rs.getString("secret")), PURPOSE),
            DeliveryStatus.valueOf(rs.getString("status"))))
        .optional();
  }

  public Optional<CallbackStatus> status(String ticketId) {
    return jdbc.sql("SELECT * FROM ticket_callbacks WHERE ticket_id = ?").param(ticketId)
        .query((rs, n) -> {
          Timestamp f = rs.getTimestamp("finished_at");
          return new CallbackStatus(rs.getString("url"), rs.getString("secret") != null,
              DeliveryStatus.valueOf(rs.getString("status")),
              rs.getInt("attempts"), rs.getString("last_error"), rs.getString("last_error_detail"),
              f == null ? null : f.toInstant());
        })
        .optional();
  }

  /** @param detail admin-only, or null */
  public void attempted(String ticketId, String error, String detail) {
    jdbc.sql("UPDATE ticket_callbacks SET attempts = attempts + 1, last_error = ?, last_error_detail = ?"
            + " WHERE ticket_id = ?")
        .params(error, detail, ticketId).update();
  }

  public void sent(String ticketId) {
    jdbc.sql("UPDATE ticket_callbacks SET attempts = attempts + 1, status = ?, last_error = NULL, last_error_detail = NULL,"
        + " finished_at = ?"
        + " WHERE ticket_id = ?").params(DeliveryStatus.SENT.name(), Timestamp.from(clock.instant()), ticketId).update();
  }

  public void failed(String ticketId, String error) {
    jdbc.sql("UPDATE ticket_callbacks SET status = ?, last_error = ?, finished_at = ? WHERE ticket_id = ?"
        + " AND status <> ?").params(DeliveryStatus.FAILED.name(), error, Timestamp.from(clock.instant()), ticketId,
            DeliveryStatus.SENT.name()).update();
  }
}
