package io.patchloop.credentials;

import io.patchloop.common.ConflictException;
import io.patchloop.common.NotFoundException;
import io.patchloop.secrets.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Stores SSH private keys encrypted; only host access ({@link #privateKey}) ever sees them decrypted. */
@Repository
public class CredentialStore {

  static final String KEY_PURPOSE = "patchloop/credential/private-key";
  static final String PASSPHRASE_PURPOSE = "patchloop/credential/passphrase";

  private static final String SELECT =
      "SELECT c.id, c.name, c.description, c.key_type, c.created_at, c.updated_at,"
          + " (SELECT COUNT(*) FROM hosts h WHERE h.credential_id = c.id) AS used_by FROM credentials c";

  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final Clock clock;

  public CredentialStore(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  @Transactional
  public Credential create(CredentialSpec spec) {
    spec.validate().throwIfAny("Invalid credential");
    Timestamp now = Timestamp.from(now());
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql(
              "INSERT INTO credentials (name, description, key_ciphertext, passphrase_ciphertext, key_type,"
                  + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(
              spec.name(),
              spec.description(),
              cipher.encrypt(spec.privateKey(), KEY_PURPOSE),
              spec.passphrase() == null ? null : cipher.encrypt(spec.passphrase(), PASSPHRASE_PURPOSE),
              spec.keyType(),
              now,
              now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a credential named '" + spec.name() + "' already exists");
    }
    return get(keys.getKey().longValue());
  }

  public Credential get(long id) {
    return jdbc.sql(SELECT + " WHERE c.id = ?").param(id).query(this::map).optional()
        .orElseThrow(() -> new NotFoundException("credential", id));
  }

  public Optional<Credential> findByName(String name) {
    return jdbc.sql(SELECT + " WHERE c.name = ?").param(name).query(this::map).optional();
  }

  public List<Credential> list() {
    return jdbc.sql(SELECT + " ORDER BY c.name").query(this::map).list();
  }

  @Transactional
  public void delete(long id) {
    Credential credential = get(id);
    if (credential.usedByHosts() > 0) {
      throw new ConflictException(
          "id",
          "credential '" + credential.name() + "' is used by " + credential.usedByHosts()
              + " host(s); point them at another credential first");
    }
    jdbc.sql("DELETE FROM credentials WHERE id = ?").param(id).update();
  }

  /** The decrypted key material, for host access only; never for the API. */
  public DecryptedKey privateKey(long id) {
    return jdbc.sql("SELECT key_ciphertext, passphrase_ciphertext FROM credentials WHERE id = ?")
        .param(id)
        .query((rs, n) -> {
          byte[] passphrase = rs.getBytes(2);
          return new DecryptedKey(
              cipher.decrypt(rs.getBytes(1), KEY_PURPOSE),
              passphrase == null ? null : cipher.decrypt(passphrase, PASSPHRASE_PURPOSE));
        })
        .optional()
        .orElseThrow(() -> new NotFoundException("credential", id));
  }

  /** A private key in the clear; {@code toString} does not print it. */
  public record DecryptedKey(String privateKey, String passphrase) {
    @Override
    public String toString() {
      return "DecryptedKey[redacted]";
    }
  }

  private Credential map(ResultSet rs, int n) throws SQLException {
    return new Credential(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("key_type"),
        rs.getLong("used_by"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
