package io.patchloop.hostaccess;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Patchloop's own known_hosts, in the database so every worker trusts the same keys. */
@Repository
public class KnownHostKeyStore {

  /** A recorded key: type (ssh-ed25519, ...), SHA256 fingerprint, and the key blob in base64. */
  public record KnownKey(String keyType, String fingerprint, String publicKey) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  public KnownHostKeyStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Optional<KnownKey> find(String address, int port) {
    return jdbc.sql("SELECT key_type, fingerprint, public_key FROM known_host_keys WHERE address = ? AND port = ?")
        .params(address, port)
        .query((rs, n) -> new KnownKey(rs.getString(1), rs.getString(2), rs.getString(3)))
        .optional();
  }

  /**
   * Records a first key. Two workers may meet a new host at once: the first insert wins and the
   * second learns the key that is now on record, so both then compare against the same one.
   */
  public KnownKey recordFirst(String address, int port, KnownKey key) {
    try {
      jdbc.sql("INSERT INTO known_host_keys (address, port, key_type, fingerprint, public_key, first_seen)"
              + " VALUES (?, ?, ?, ?, ?, ?)")
          .params(address, port, key.keyType(), key.fingerprint(), key.publicKey(), Timestamp.from(clock.instant()))
          .update();
      return key;
    } catch (DuplicateKeyException e) {
      return find(address, port).orElseThrow();
    }
  }

  /** Replaces a key on a person's word (a host rebuilt on purpose); the API calls this, a scan never does. */
  @Transactional
  public void replace(String address, int port, KnownKey key) {
    jdbc.sql("DELETE FROM known_host_keys WHERE address = ? AND port = ?").params(address, port).update();
    recordFirst(address, port, key);
  }

  @Transactional
  public void forget(String address, int port) {
    jdbc.sql("DELETE FROM known_host_keys WHERE address = ? AND port = ?").params(address, port).update();
  }
}
