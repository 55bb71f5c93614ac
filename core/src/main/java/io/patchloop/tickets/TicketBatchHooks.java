package io.patchloop.tickets;

import io.patchloop.secrets.SecretCipher;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A repair ticket's HTTP hook around each batch: where to POST, its secret (encrypted), and how the last call went. */
@Repository
public class TicketBatchHooks {

  static final String PURPOSE = "patchloop/ticket-batch-hook/secret";

  /** For the caller only. */
  public record BatchHook(String url, String secret) {
    @Override
    public String toString() {
      return "BatchHook[" + url + ", secret redacted]";
    }
  }

  /** As the API shows it: never the secret. */
  public record BatchHookStatus(String url, int calls, String lastError, Instant lastCalledAt) {}

  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final Clock clock;

  public TicketBatchHooks(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  public void register(String ticketId, String url, String secret) {
    jdbc.sql("INSERT INTO ticket_batch_hooks (ticket_id, url, secret) VALUES (?, ?, ?)")
        .params(ticketId, url, Base64.getEncoder().encodeToString(cipher.encrypt(secret, PURPOSE)))
        .update();
  }

  public Optional<BatchHook> find(String ticketId) {
    return jdbc.sql("SELECT url, secret FROM ticket_batch_hooks WHERE ticket_id = ?").param(ticketId)
        .query((rs, n) -> new BatchHook(rs.getString(1),
            cipher.decrypt(Base64.getDecoder().decode(rs.getString(2)), PURPOSE)))
        .optional();
  }

  public Optional<BatchHookStatus> status(String ticketId) {
    return jdbc.sql("SELECT url, calls, last_error, last_called_at FROM ticket_batch_hooks WHERE ticket_id = ?")
        .param(ticketId)
        .query((rs, n) -> {
          Timestamp at = rs.getTimestamp(4);
          return new BatchHookStatus(rs.getString(1), rs.getInt(2), rs.getString(3), at == null ? null : at.toInstant());
        })
        .optional();
  }

  /** @param error the short reason the call failed, or null when it was answered 2xx */
  public void called(String ticketId, String error) {
    jdbc.sql("UPDATE ticket_batch_hooks SET calls = calls + 1, last_error = ?, last_called_at = ? WHERE ticket_id = ?")
        .params(error, Timestamp.from(clock.instant()), ticketId).update();
  }
}
