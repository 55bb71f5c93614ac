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
}
