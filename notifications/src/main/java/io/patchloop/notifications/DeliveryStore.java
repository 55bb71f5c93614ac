package io.patchloop.notifications;

import io.patchloop.common.DeliveryStatus;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every message Patchloop tried to send, and what became of it. */
@Repository
public class DeliveryStore {

  /**
   * @param status PENDING, SENT or FAILED
   * @param lastError the short reason of the last failure, for everyone who reads deliveries
   * @param lastErrorDetail what the remote end said (at most 200 printable characters): for admins only
   */
  public record Delivery(long id, long channelId, NotificationEvent event, String subjectRef, String title,
      DeliveryStatus status, int attempts, String lastError, String lastErrorDetail, Instant createdAt,
      Instant finishedAt) {

    /** As a caller who is no admin sees it. */
    public Delivery withoutDetail() {
      return new Delivery(id, channelId, event, subjectRef, title, status, attempts, lastError, null, createdAt,
          finishedAt);
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  public DeliveryStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** One delivery per channel, event and subject: preparing the same event again finds the same one. */
  public long prepare(long channelId, String subjectRef, Message m) {
    jdbc.sql("INSERT IGNORE INTO notification_deliveries (channel_id, event, subject_ref, title, body, payload, status,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(channelId, m.event().name(), subjectRef, truncate(m.title(), 300),
            body(m), m.payloadJson(), DeliveryStatus.PENDING.name(), Timestamp.from(clock.instant()))
        .update();
    return jdbc.sql("SELECT id FROM notification_deliveries WHERE channel_id = ? AND event = ? AND subject_ref = ?")
        .params(channelId, m.event().name(), subjectRef).query(Long.class).single();
  }

  public record Pending(Delivery delivery, Message message) {}

  public Pending pending(long id) {
    return jdbc.sql("SELECT * FROM notification_deliveries WHERE id = ?").param(id).query((rs, n) -> {
      Body body = read(rs.getString("body"));
      return new Pending(map(rs, n), new Message(NotificationEvent.valueOf(rs.getString("event")), rs.getString("title"),
          body.text(), body.markdown(), rs.getString("payload")));
    }).optional().orElseThrow(() -> new NotFoundException("delivery", id));
  }

  /** @param detail admin-only, or null */
  public void attempted(long id, String error, String detail) {
    jdbc.sql("UPDATE notification_deliveries SET attempts = attempts + 1, last_error = ?, last_error_detail = ?"
            + " WHERE id = ?")
        .params(error, detail, id).update();
  }

  public void sent(long id) {
    jdbc.sql("UPDATE notification_deliveries SET attempts = attempts + 1, status = ?, last_error = NULL,"
        + " last_error_detail = NULL, finished_at = ? WHERE id = ?").params(DeliveryStatus.SENT.name(), Timestamp.from(clock.instant()), id).update();
  }

  /** Keeps the last attempt's detail: {@code error} is the workflow's summary. */
  public void failed(long id, String error) {
    jdbc.sql("UPDATE notification_deliveries SET status = ?, last_error = ?, finished_at = ? WHERE id = ?"
            + " AND status <> ?")
        .params(DeliveryStatus.FAILED.name(), error, Timestamp.from(clock.instant()), id, DeliveryStatus.SENT.name()).update();
  }

  /** Newest first; filters null for all. */
  public List<Delivery> list(DeliveryStatus status, String subjectRef, int limit) {
    String wanted = status == null ? null : status.name();
    return jdbc.sql("SELECT * FROM notification_deliveries WHERE (? IS NULL OR status = ?)"
            + " AND (? IS NULL OR subject_ref = ?) ORDER BY id DESC LIMIT ?")
        .params(wanted, wanted, subjectRef, subjectRef, limit).query(DeliveryStore::map).list();
  }

  /** One page of deliveries of a status (null for all), newest first, with the total: the console's paged list. */
  public PageResult<Delivery> page(DeliveryStatus status, PageRequest page) {
    String wanted = status == null ? null : status.name();
    long total = jdbc.sql("SELECT COUNT(*) FROM notification_deliveries WHERE (? IS NULL OR status = ?)")
        .params(wanted, wanted).query(Long.class).single();
    List<Delivery> items = jdbc.sql("SELECT * FROM notification_deliveries WHERE (? IS NULL OR status = ?)"
            + " ORDER BY id DESC LIMIT ? OFFSET ?")
        .params(wanted, wanted, page.size(), page.offset()).query(DeliveryStore::map).list();
    return new PageResult<>(items, page.page(), page.size(), total);
  }

  private static Delivery map(ResultSet rs, int n) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new Delivery(rs.getLong("id"), rs.getLong("channel_id"), NotificationEvent.valueOf(rs.getString("event")),
        rs.getString("subject_ref"), rs.getString("title"), DeliveryStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        rs.getString("last_error"), rs.getString("last_error_detail"), rs.getTimestamp("created_at").toInstant(),
        finished == null ? null : finished.toInstant());
  }

  /** The two renderings of a message's body, kept as one JSON column. */
  record Body(String text, String markdown) {}

  private static String body(Message m) {
    return JsonText.write(new Body(m.text(), m.markdown()));
  }

  private static Body read(String json) {
    return JsonText.read(json, Body.class, "notification_deliveries.body");
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
