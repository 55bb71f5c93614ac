package io.patchloop.notifications;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.patchloop.api.security.Role;
import io.patchloop.common.DeliveryStatus;
import io.patchloop.common.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
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
@Tag(name = "Notifications", description = "Channels, which events go to them, and what was sent")
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
  @Operation(operationId = "listNotificationChannels", summary = "Channels (secrets masked)")
  List<NotificationChannel> channels() {
    return channels.list();
  }

  @GetMapping("/notification-channels/{id}")
  @Operation(operationId = "getNotificationChannel", summary = "One channel (secrets masked)")
  NotificationChannel channel(@PathVariable long id) {
    return channels.get(id);
  }

  @PostMapping(path = "/notification-channels", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createNotificationChannel", summary = "Create an email, SMS or webhook channel")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new channel",
      headers = @Header(name = "Location", description = "the new channel's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A channel of that name exists")
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
  @Operation(operationId = "updateNotificationChannel", summary = "Replace a channel's settings")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "The name is taken, or the type would change")
  NotificationChannel update(@PathVariable long id, @RequestBody ChannelSpec spec) {
    return channels.update(id, spec);
  }

  @DeleteMapping("/notification-channels/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteNotificationChannel", summary = "Delete a channel and its subscriptions")
  @ApiResponse(responseCode = "204", description = "Deleted")
  void delete(@PathVariable long id) {
    channels.delete(id);
  }

  /**
   * Sends a test message at once, with the bounds of every outbound call (one deadline, a capped
   * answer, the destination policy): 200 when the channel took it, 502 with the short reason
   * ({@code error}) and what the remote end said ({@code detail}, admins only, as is this call) when not.
   */
  @PostMapping("/notification-channels/{id}/test")
  @Operation(operationId = "testNotificationChannel", summary = "Send a test message now")
  @ApiResponse(responseCode = "200", description = "The channel took it")
  @ApiResponse(responseCode = "502", description = "The channel did not take it: `error` says why, `detail` what the remote end said",
      content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChannelTestResult.class)))
  ResponseEntity<ChannelTestResult> test(@PathVariable long id) {
    channels.get(id);
    try {
      notifications.sendTest(id);
      return ResponseEntity.ok(new ChannelTestResult(id, true, null, null));
    } catch (ChannelSender.DeliveryException e) {
      return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(new ChannelTestResult(id, false, e.getMessage(), e.detail()));
    }
  }

  /**
   * @param error when not sent: the short reason
   * @param detail when not sent: what the remote end said
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChannelTestResult(long channelId, boolean sent, String error, String detail) {}

  @GetMapping("/notification-subscriptions")
  @Operation(operationId = "listNotificationSubscriptions", summary = "Which events go to which channel")
  List<SubscriptionStore.Subscription> subscriptions() {
    return subscriptions.list();
  }

  @PostMapping(path = "/notification-subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createNotificationSubscription", summary = "Send an event to a channel")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new subscription",
      headers = @Header(name = "Location", description = "the new subscription's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "The channel already subscribes to the event")
  ResponseEntity<SubscriptionStore.Subscription> subscribe(@RequestBody SubscriptionStore.SubscriptionSpec spec) {
    SubscriptionStore.Subscription s = subscriptions.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/notification-subscriptions/" + s.id())).body(s);
  }

  @DeleteMapping("/notification-subscriptions/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteNotificationSubscription", summary = "Stop sending an event to a channel")
  @ApiResponse(responseCode = "204", description = "Deleted")
  void unsubscribe(@PathVariable long id) {
    subscriptions.delete(id);
  }

  /**
   * What was sent, newest first: {@code status} PENDING, SENT or FAILED; {@code subject} a ticket id.
   * What a channel answered when it failed ({@code lastErrorDetail}) only an admin sees.
   */
  @GetMapping("/notification-deliveries")
  @Operation(operationId = "listNotificationDeliveries", summary = "What was sent, newest first")
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
