package io.patchloop.workflows.notify;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Notifications in two steps: {@link #prepare} writes one delivery per subscribed channel (message
 * and payload fixed then, so every retry sends the same thing) and {@link #deliver} sends one.
 */
@ActivityInterface
public interface NotificationActivities {

  /** @return the ids of the deliveries to send; empty when nobody subscribed to what happened */
  List<Long> prepare(NotifyRequest request);

  /** Sends one delivery and records the attempt; throws when the channel refused or did not answer. */
  void deliver(long deliveryId);

  /** The delivery failed for good (retries used up): recorded, and that is all. */
  void recordFailed(long deliveryId, String error);

  /** Whether the ticket has a callback that has not been sent yet. */
  boolean callbackPending(String ticketId);

  /** POSTs the ticket's callback once; throws when the receiver refused or did not answer. */
  void deliverCallback(String ticketId);

  /** The callback failed for good: recorded on the ticket, whose own status stays as it is. */
  void recordCallbackFailed(String ticketId, String error);
}
