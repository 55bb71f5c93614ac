package io.patchloop.workflows.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the notification activities in workflow tests: records what a ticket or plan asked
 * to be told and has nothing to deliver; the real sending is covered by the end-to-end tests.
 */
public final class RecordedNotifications implements NotificationActivities {

  public final List<NotifyRequest> notified = new CopyOnWriteArrayList<>();

  @Override
  public List<Long> prepare(NotifyRequest request) {
    notified.add(request);
    return List.of();
  }

  @Override
  public void deliver(long deliveryId) {}

  @Override
  public void recordFailed(long deliveryId, String error) {}

  @Override
  public boolean callbackPending(String ticketId) {
    return false;
  }

  @Override
  public void deliverCallback(String ticketId) {}

  @Override
  public void recordCallbackFailed(String ticketId, String error) {}
}
