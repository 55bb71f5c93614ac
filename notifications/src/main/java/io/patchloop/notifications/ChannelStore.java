package io.patchloop.notifications;

import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.secrets.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notification channels: plain settings as JSON, secrets as one encrypted JSON value. Only the
 * senders ({@link #withSecrets}) ever see a secret.
 */
@Repository
public class ChannelStore {

  static final String PURPOSE = "patchloop/notification-channel/secrets";

  /** Everything secret of a channel, whatever its type. */
  record Secrets(String password, String webhookUrl, Map<String, String> headers, String secret) {}

  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final Clock clock;

  public ChannelStore(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  @Transactional
  public NotificationChannel create(ChannelSpec spec) {
    spec.validate(false).throwIfAny("Invalid notification channel");
    Timestamp now = Timestamp.from(clock.instant());
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO notification_channels (name, type, settings, secret, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)")
          .params(spec.name(), spec.type().name(), json(withoutSecrets(spec)), encrypt(secretsOf(spec)), now, now)
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a channel named '" + spec.name() + "' already exists");
    }
    return get(keys.getKey().longValue());
  }

  @Transactional
  public NotificationChannel update(long id, ChannelSpec spec) {
    ChannelSpec stored = withSecrets(id);
    if (spec.type() != null && spec.type() != stored.type()) {
      throw new ConflictException("type", "a channel keeps its type (" + stored.type() + "); create another one");
    }
    spec.validate(true).throwIfAny("Invalid notification channel");
    Secrets given = secretsOf(spec);
    Secrets old = secretsOf(stored);
    Secrets merged = new Secrets(keep(given.password(), old.password()), keep(given.webhookUrl(), old.webhookUrl()),
        mergeHeaders(given.headers(), old.headers()), keep(given.secret(), old.secret()));
    try {
      jdbc.sql("UPDATE notification_channels SET name = ?, settings = ?, secret = ?, updated_at = ? WHERE id = ?")
          .params(spec.name(), json(withoutSecrets(spec)), encrypt(merged), Timestamp.from(clock.instant()), id)
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("name", "a channel named '" + spec.name() + "' already exists");
    }
    return get(id);
  }

  public NotificationChannel get(long id) {
    return masked(row(id));
  }

  public List<NotificationChannel> list() {
    return jdbc.sql("SELECT * FROM notification_channels ORDER BY name").query(this::full).list().stream()
        .map(ChannelStore::masked).toList();
  }

  @Transactional
  public void delete(long id) {
    if (jdbc.sql("DELETE FROM notification_channels WHERE id = ?").param(id).update() == 0) {
      throw new NotFoundException("notification channel", id);
    }
  }

  /** The channel with its secrets decrypted: for the senders only. */
  public ChannelSpec withSecrets(long id) {
    return row(id).spec();
  }

  private Row row(long id) {
    return jdbc.sql("SELECT * FROM notification_channels WHERE id = ?").param(id).query(this::full).optional()
        .orElseThrow(() -> new NotFoundException("notification channel", id));
  }

  private record Row(long id, ChannelSpec spec, java.time.Instant created, java.time.Instant updated) {}

  private Row full(ResultSet rs, int n) throws SQLException {
    ChannelSpec plain = read(rs.getString("settings"), ChannelSpec.class);
    String secret = rs.getString("secret");
    Secrets s = secret == null ? new Secrets(null, null, null, null)
        : read(cipher.decrypt(Base64.getDecoder().decode(secret), PURPOSE), Secrets.class);
    ChannelSpec spec = new ChannelSpec(rs.getString("name"), ChannelType.valueOf(rs.getString("type")),
        plain.email() == null ? null : new ChannelSpec.Email(plain.email().host(), plain.email().port(),
            plain.email().security(), plain.email().username(), s.password(), plain.email().from(),
            plain.email().recipients()),
        plain.wecom() == null ? null : new ChannelSpec.WeCom(s.webhookUrl()),
        plain.sms() == null ? null : new ChannelSpec.Sms(plain.sms().url(), plain.sms().method(), s.headers(),
            plain.sms().bodyTemplate(), plain.sms().recipients()),
        plain.webhook() == null ? null : new ChannelSpec.Webhook(plain.webhook().url(), s.secret()));
    return new Row(rs.getLong("id"), spec, rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static NotificationChannel masked(Row row) {
    ChannelSpec s = row.spec();
    return new NotificationChannel(row.id(), s.name(), s.type(),
        s.email() == null ? null : new ChannelSpec.Email(s.email().host(), s.email().portOrDefault(),
            s.email().securityOrDefault(), s.email().username(), s.email().password() == null ? null : ChannelSpec.MASK,
            s.email().from(), s.email().recipients()),
        s.wecom() == null ? null : new ChannelSpec.WeCom(maskUrl(s.wecom().webhookUrl())),
        s.sms() == null ? null : new ChannelSpec.Sms(s.sms().url(), s.sms().method() == null ? "POST" : s.sms().method(),
            maskValues(s.sms().headers()), s.sms().bodyTemplate(), s.sms().recipients()),
        s.webhook() == null ? null : new ChannelSpec.Webhook(s.webhook().url(), ChannelSpec.MASK),
        row.created(), row.updated());
  }

  /** Keeps scheme, host and path; the query (where a robot's key lives) is masked. */
  static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?" + ChannelSpec.MASK;
  }

  private static Map<String, String> maskValues(Map<String, String> headers) {
    if (headers == null) {
      return null;
    }
    Map<String, String> m = new LinkedHashMap<>();
    headers.keySet().forEach(k -> m.put(k, ChannelSpec.MASK));
    return m;
  }

  private static ChannelSpec withoutSecrets(ChannelSpec s) {
    return new ChannelSpec(s.name(), s.type(),
        s.email() == null ? null : new ChannelSpec.Email(s.email().host(), s.email().port(), s.email().security(),
            s.email().username(), null, s.email().from(), s.email().recipients()),
        s.wecom() == null ? null : new ChannelSpec.WeCom(null),
        s.sms() == null ? null : new ChannelSpec.Sms(s.sms().url(), s.sms().method(), null, s.sms().bodyTemplate(),
            s.sms().recipients()),
        s.webhook() == null ? null : new ChannelSpec.Webhook(s.webhook().url(), null));
  }

  private static Secrets secretsOf(ChannelSpec s) {
    return new Secrets(s.email() == null ? null : s.email().password(),
        s.wecom() == null ? null : s.wecom().webhookUrl(),
        s.sms() == null ? null : s.sms().headers(),
        s.webhook() == null ? null : s.webhook().secret());
  }

  private static String keep(String given, String old) {
    return given == null || ChannelSpec.MASK.equals(given) ? old : given;
  }

  private static Map<String, String> mergeHeaders(Map<String, String> given, Map<String, String> old) {
    if (given == null) {
      return old;
    }
    Map<String, String> m = new LinkedHashMap<>();
    given.forEach((k, v) -> m.put(k, ChannelSpec.MASK.equals(v) && old != null ? old.get(k) : v));
    return m;
  }

  private String encrypt(Secrets s) {
    return Base64.getEncoder().encodeToString(cipher.encrypt(json(s), PURPOSE));
  }

  private static String json(Object value) {
    return JsonText.write(value);
  }

  private static <T> T read(String json, Class<T> type) {
    return JsonText.read(json, type, "notification_channels");
  }
}
