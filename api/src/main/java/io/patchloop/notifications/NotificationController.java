package io.patchloop.notifications;

import io.patchloop.api.security.Role;
import io.patchloop.common.DeliveryStatus;
import io.patchloop.common.InvalidInputException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Channels (where messages go), subscriptions (which events go where) and deliveries (what was sent). */
@RestController
@RequestMapping("/api/v1")
class NotificationController {

  private final ChannelStore channels;
  private final SubscriptionStore subscriptions;
  private final DeliveryStore deliveries;
  private final NotificationService notifications;

  NotificationController(ChannelStore channels, SubscriptionStore subscriptions, DeliveryStore deliveries,
      NotificationService notifications) {
    this.channels = channels;
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.notifications = notifications;
  }

  @GetMapping("/notification-channels")
  List<NotificationChannel> channels() {
    return channels.list();
  }

  @GetMapping("/notification-channels/{id}")
  NotificationChannel channel(@PathVariable long id) {
    return channels.get(id);
  }

  @PostMapping(path = "/notification-channels", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<NotificationChannel> create(@RequestBody ChannelSpec spec) {
    NotificationChannel c = channels.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/notification-channels/" + c.id())).body(c);
  }

  /**
   * Secrets left out (or sent back masked) keep their stored values while the destination stays
   * the same; an update that changes it (SMTP host, port or security, SMS URL or method, webhook
   * URL) without sending them again is refused with 400 naming each one.
   */
  @PutMapping(path = "/notification-channels/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  NotificationChannel update(@PathVariable long id, @RequestBody ChannelSpec spec) {
    return channels.update(id, spec);
  }

  @DeleteMapping("/notification-channels/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable long id) {
    channels.delete(id);
  }

  /**
   * Sends a test message at once, with the bounds of every outbound call (one deadline, a capped
   * answer, the destination policy): 200 when the channel took it, 502 with the short reason
   * ({@code error}) and what the remote end said ({@code detail}, admins only, as is this call) when not.
   */
  @PostMapping("/notification-channels/{id}/test")
  ResponseEntity<Map<String, Object>> test(@PathVariable long id) {
    channels.get(id);
    try {
      notifications.sendTest(id);
      return ResponseEntity.ok(Map.of("channelId", id, "sent", true));
    } catch (ChannelSender.DeliveryException e) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("channelId", id);
      body.put("sent", false);
      body.put("error", e.getMessage());
      body.put("detail", e.detail());
      return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(body);
    }
  }

  @GetMapping("/notification-subscriptions")
  List<SubscriptionStore.Subscription> subscriptions() {
    return subscriptions.list();
  }

  @PostMapping(path = "/notification-subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<SubscriptionStore.Subscription> subscribe(@RequestBody SubscriptionStore.SubscriptionSpec spec) {
    SubscriptionStore.Subscription s = subscriptions.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/notification-subscriptions/" + s.id())).body(s);
  }

  @DeleteMapping("/notification-subscriptions/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void unsubscribe(@PathVariable long id) {
    subscriptions.delete(id);
  }

  /**
   * What was sent, newest first: {@code status} PENDING, SENT or FAILED; {@code subject} a ticket id.
   * What a channel answered when it failed ({@code lastErrorDetail}) only an admin sees.
   */
  @GetMapping("/notification-deliveries")
  List<DeliveryStore.Delivery> deliveries(@RequestParam(required = false) String status,
      @RequestParam(required = false) String subject, @RequestParam(required = false) Integer limit,
      Authentication caller) {
    DeliveryStatus wanted = null;
    if (status != null) {
      try {
        wanted = DeliveryStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("status", "must be one of " + Arrays.toString(DeliveryStatus.values()));
      }
    }
    int n = limit == null ? 100 : limit;
    if (n < 1 || n > 1000) {
      throw new InvalidInputException("limit", "must be between 1 and 1000");
    }
    List<DeliveryStore.Delivery> found = deliveries.list(wanted, subject, n);
    return Role.ADMIN.heldBy(caller) ? found : found.stream().map(DeliveryStore.Delivery::withoutDetail).toList();
  }
}
