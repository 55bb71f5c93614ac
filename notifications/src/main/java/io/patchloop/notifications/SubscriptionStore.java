package io.patchloop.notifications;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Which events go to which channels. */
@Repository
public class SubscriptionStore {

  /** @param minLevel HOSTS_NON_COMPLIANT only: the least severe level that counts (default HIGH) */
  public record Subscription(long id, long channelId, NotificationEvent event, ComplianceLevel minLevel,
      Instant createdAt) {}

  public record SubscriptionSpec(Long channelId, NotificationEvent event, ComplianceLevel minLevel) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  public SubscriptionStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public Subscription create(SubscriptionSpec spec) {
    var problems = new io.patchloop.common.Problems();
    problems.required("channelId", spec.channelId());
    problems.required("event", spec.event());
    if (spec.minLevel() != null && spec.event() != NotificationEvent.HOSTS_NON_COMPLIANT) {
      problems.add("minLevel", "applies to HOSTS_NON_COMPLIANT only");
    }
    problems.throwIfAny("Invalid subscription");
    ComplianceLevel level = spec.event() == NotificationEvent.HOSTS_NON_COMPLIANT && spec.minLevel() == null
        ? ComplianceLevel.HIGH : spec.minLevel();
    var keys = new GeneratedKeyHolder();
    try {
      jdbc.sql("INSERT INTO notification_subscriptions (channel_id, event, min_level, created_at) VALUES (?, ?, ?, ?)")
          .params(spec.channelId(), spec.event().name(), level == null ? null : level.name(),
              Timestamp.from(clock.instant()))
          .update(keys);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("event", "channel " + spec.channelId() + " already subscribes to " + spec.event());
    } catch (DataIntegrityViolationException e) {
      throw new InvalidInputException("channelId", "no notification channel has id " + spec.channelId());
    }
    return get(keys.getKey().longValue());
  }

  public Subscription get(long id) {
    return jdbc.sql("SELECT * FROM notification_subscriptions WHERE id = ?").param(id).query(SubscriptionStore::map)
        .optional().orElseThrow(() -> new NotFoundException("subscription", id));
  }

  public List<Subscription> list() {
    return jdbc.sql("SELECT * FROM notification_subscriptions ORDER BY id").query(SubscriptionStore::map).list();
  }

  public List<Subscription> forEvent(NotificationEvent event) {
    return jdbc.sql("SELECT * FROM notification_subscriptions WHERE event = ? ORDER BY id").param(event.name())
        .query(SubscriptionStore::map).list();
  }

  @Transactional
  public void delete(long id) {
    if (jdbc.sql("DELETE FROM notification_subscriptions WHERE id = ?").param(id).update() == 0) {
      throw new NotFoundException("subscription", id);
    }
  }

  private static Subscription map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    String level = rs.getString("min_level");
    return new Subscription(rs.getLong("id"), rs.getLong("channel_id"), NotificationEvent.valueOf(rs.getString("event")),
        level == null ? null : ComplianceLevel.valueOf(level), rs.getTimestamp("created_at").toInstant());
  }
}
