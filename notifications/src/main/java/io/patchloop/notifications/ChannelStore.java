package io.patchloop.notifications;

import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.Problems;
import io.patchloop.outbound.OutboundPolicy;
import io.patchloop.secrets.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
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
  private final OutboundPolicy outbound;

  public ChannelStore(JdbcClient jdbc, SecretCipher cipher, Clock clock, OutboundPolicy outbound) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
    this.outbound = outbound;
  }

  @Transactional
  public NotificationChannel create(ChannelSpec spec) {
    Problems problems = spec.validate(false);
    if (problems.isEmpty()) {
      checkDestination(spec, null, problems);
    }
    problems.throwIfAny("Invalid notification channel");
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
    Problems problems = spec.validate(true);
    // the destination is only looked up for a channel whose fields are valid; reported with the secrets' problems
    boolean valid = problems.isEmpty();
    boolean moved = spec.type() == stored.type() && spec.settingsOf(stored.type()) != null
        && !Objects.equals(destination(spec), destination(stored));
    Secrets given = secretsOf(spec);
    // a stored secret is only ever kept for the destination it was given for: otherwise an admin
    // (or a stolen admin token) could point the channel at its own server and have the secret sent there
    Secrets old = moved ? secretsForElsewhere(spec, stored, problems) : secretsOf(stored);
    if (!moved) {
      maskedHeadersWithNothingStored(given.headers(), old.headers(), problems);
    }
    if (valid) {
      checkDestination(spec, keep(given.webhookUrl(), old.webhookUrl()), problems);
    }
    problems.throwIfAny("Invalid notification channel");
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

  /**
   * Where a channel's secrets go with its messages: the SMTP server (host, port, security), the SMS
   * gateway (URL, method), the webhook's URL. Null for WeCom, whose robot URL is itself the secret
   * (it carries the key), so a new URL is always a new secret given in full.
   */
  private static String destination(ChannelSpec s) {
    return switch (s.type()) {
      case EMAIL -> String.valueOf(s.email().host()).toLowerCase(Locale.ROOT) + ":" + s.email().portOrDefault()
          + " " + s.email().securityOrDefault();
      case SMS -> (s.sms().method() == null ? "POST" : s.sms().method()) + " " + s.sms().url();
      case WEBHOOK -> s.webhook().url();
      case WECOM -> null;
    };
  }

  /**
   * The stored secrets an update that changes the destination may still keep: none. Where the
   * update leaves out (or sends back masked) a secret the channel still needs, that is a problem
   * saying it must be sent again; a password without a user name is never used, so it goes.
   */
  private static Secrets secretsForElsewhere(ChannelSpec spec, ChannelSpec stored, Problems problems) {
    Secrets given = secretsOf(spec);
    Secrets old = secretsOf(stored);
    switch (spec.type()) {
      case EMAIL -> {
        if (old.password() != null && spec.email().username() != null && isKept(given.password())) {
          problems.nested("email").add("password", "must be sent again: the SMTP server (host, port or security)"
              + " changed, and a stored password is only kept for the server it was given for");
        }
      }
      case SMS -> {
        List<String> kept = given.headers() == null
            ? (old.headers() == null ? List.of() : List.copyOf(old.headers().keySet()))
            : given.headers().entrySet().stream().filter(h -> ChannelSpec.MASK.equals(h.getValue()))
                .map(Map.Entry::getKey).toList();
        if (!kept.isEmpty()) {
          problems.nested("sms").add("headers", "the value of " + kept.stream().map(k -> "'" + k + "'")
              .collect(Collectors.joining(", ")) + " must be sent again: the gateway (URL or method) changed,"
              + " and a stored header value is only kept for the gateway it was given for");
        }
      }
      case WEBHOOK -> {
        if (isKept(given.secret())) {
          problems.nested("webhook").add("secret", "must be sent again: the URL changed, and a stored secret"
              + " is only kept for the URL it was given for");
        }
      }
      case WECOM -> {
        // never here: a robot URL is its own destination (see destination), so WeCom never moves
      }
    }
    return new Secrets(null, null, null, null);
  }

  /** A header sent as the mask keeps a stored value; one that has none would be sent as "********". */
  private static void maskedHeadersWithNothingStored(Map<String, String> given, Map<String, String> old,
      Problems problems) {
    if (given == null) {
      return;
    }
    List<String> unknown = given.entrySet().stream()
        .filter(h -> ChannelSpec.MASK.equals(h.getValue()) && (old == null || old.get(h.getKey()) == null))
        .map(Map.Entry::getKey).toList();
    if (!unknown.isEmpty()) {
      problems.nested("sms").add("headers", "the value of " + unknown.stream().map(k -> "'" + k + "'")
          .collect(Collectors.joining(", ")) + " is given as " + ChannelSpec.MASK
          + ", but none is stored to keep: give the value itself");
    }
  }

  /** A secret left out or sent back masked: the caller means "keep the stored one". */
  private static boolean isKept(String given) {
    return given == null || ChannelSpec.MASK.equals(given);
  }

  /**
   * Refuses a channel whose destination the outbound policy refuses now; sends check it again.
   *
   * @param storedWeComUrl on update, the robot URL the channel will have (a secret an update may leave out); null on create
   */
  private void checkDestination(ChannelSpec spec, String storedWeComUrl, Problems problems) {
    switch (spec.type()) {
      case EMAIL -> outbound.refusalOf(spec.email().host(), spec.email().portOrDefault())
          .ifPresent(reason -> problems.add("email.host", reason));
      case WECOM -> outbound.refusalOfUrl(storedWeComUrl != null ? storedWeComUrl : spec.wecom().webhookUrl())
          .ifPresent(reason -> problems.add("wecom.webhookUrl", reason));
      case SMS -> outbound.refusalOfUrl(spec.sms().url().replace("{{message}}", "m").replace("{{recipients}}", "r"))
          .ifPresent(reason -> problems.add("sms.url", reason));
      case WEBHOOK -> outbound.refusalOfUrl(spec.webhook().url())
          .ifPresent(reason -> problems.add("webhook.url", reason));
    }
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
    return isKept(given) ? old : given;
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
