package io.patchloop.notifications;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.DeliveryStatus;
import io.patchloop.common.NotFoundException;
import io.patchloop.plans.PlanStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.tickets.TicketBatchHooks;
import io.patchloop.tickets.TicketCallbacks;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.notify.NotificationActivities;
import io.patchloop.workflows.notify.NotifyRequest;
import io.patchloop.workflows.ticket.TicketStatus;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Turns events into deliveries for the subscribed channels, and sends them. */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class NotificationActivitiesImpl implements NotificationActivities {

  private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);

  private final SubscriptionStore subscriptions;
  private final DeliveryStore deliveries;
  private final ChannelStore channels;
  private final TicketStore tickets;
  private final ReportStore reports;
  private final PlanStore plans;
  private final MessageComposer composer;
  private final TicketCallbacks callbacks;
  private final WebhookSender webhooks;
  private final NotificationService sending;
  private final TicketBatchHooks batchHooks;

  public NotificationActivitiesImpl(SubscriptionStore subscriptions, DeliveryStore deliveries, ChannelStore channels,
      TicketStore tickets, ReportStore reports, PlanStore plans, MessageComposer composer, NotificationService sending,
      TicketCallbacks callbacks, WebhookSender webhooks, TicketBatchHooks batchHooks) {
    this.batchHooks = batchHooks;
    this.callbacks = callbacks;
    this.webhooks = webhooks;
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.channels = channels;
    this.tickets = tickets;
    this.reports = reports;
    this.plans = plans;
    this.composer = composer;
    this.sending = sending;
  }

  @Override
  public List<Long> prepare(NotifyRequest request) {
    List<Long> ids = new ArrayList<>();
    if (NotifyRequest.PLAN_RUN_SKIPPED.equals(request.kind())) {
      String name = plans.find(request.planId()).map(p -> p.name()).orElse("#" + request.planId());
      Message m = composer.planRunSkipped(request.planId(), name, Instant.ofEpochMilli(request.fireTimeMillis()),
          request.reason());
      for (var s : subscriptions.forEvent(NotificationEvent.PLAN_RUN_SKIPPED)) {
        ids.add(deliveries.prepare(s.channelId(), "plan-" + request.planId() + "-" + request.fireTimeMillis(), m));
      }
      return ids;
    }
    TicketStore.TicketRow t;
    try {
      t = tickets.get(request.ticketId());
    } catch (NotFoundException gone) {
      return ids;
    }
    if (NotifyRequest.MAINTENANCE_WINDOW.equals(request.kind())) {
      Object window = t.parameters().get("maintenanceWindow");
      Message m = composer.window(t, String.valueOf(window), request.reason(),
          Instant.ofEpochMilli(request.fireTimeMillis()));
      for (var s : subscriptions.forEvent(NotificationEvent.MAINTENANCE_WINDOW)) {
        ids.add(deliveries.prepare(s.channelId(), t.id() + "@window-" + request.reason() + "-"
            + request.fireTimeMillis(), m));
      }
      return ids;
    }
    List<TicketStore.TicketHostRow> hosts = tickets.hosts(t.id());
    List<ReportStore.TicketPatchRow> rows = reports.nonCompliantPatchesOf(t.id());
    String counts = t.succeeded() + " succeeded, " + t.failed() + " failed, " + t.notRun() + " not run";
    for (var s : subscriptions.forEvent(NotificationEvent.TICKET_FINISHED)) {
      Message m = composer.ticket(NotificationEvent.TICKET_FINISHED, t, hosts,
          MessageComposer.worstHosts(rows, null, false), "Ticket " + t.id() + " " + t.status() + ": " + counts);
      ids.add(deliveries.prepare(s.channelId(), t.id(), m));
    }
    if (t.status() == TicketStatus.ABNORMAL || t.status() == TicketStatus.FAILED) {
      // both need a person: the threshold stopped the ticket, or its workflow ended without it
      String why = t.status() == TicketStatus.FAILED ? " failed, " + t.endReason() + ": "
          : batchHookError(t.id()).map(e -> " stopped: its batch hook failed (" + e + "): ")
              .orElse(" stopped at its suspension threshold: ");
      for (var s : subscriptions.forEvent(NotificationEvent.TICKET_ABNORMAL)) {
        Message m = composer.ticket(NotificationEvent.TICKET_ABNORMAL, t, hosts,
            MessageComposer.worstHosts(rows, null, false), "Ticket " + t.id() + why + counts);
        ids.add(deliveries.prepare(s.channelId(), t.id(), m));
      }
    }
    for (var s : subscriptions.forEvent(NotificationEvent.HOSTS_NON_COMPLIANT)) {
      ComplianceLevel level = s.minLevel() == null ? ComplianceLevel.HIGH : s.minLevel();
      var newly = MessageComposer.worstHosts(rows, level, true);
      if (newly.isEmpty()) {
        continue;
      }
      Message m = composer.ticket(NotificationEvent.HOSTS_NON_COMPLIANT, t, hosts, newly, newly.size()
          + " host(s) newly NON_COMPLIANT with " + level + " or worse patches (ticket " + t.id() + ")");
      ids.add(deliveries.prepare(s.channelId(), t.id() + "@" + level, m));
    }
    return ids;
  }

  private java.util.Optional<String> batchHookError(String ticketId) {
    return batchHooks.status(ticketId).map(TicketBatchHooks.BatchHookStatus::lastError);
  }

  @Override
  public void deliver(long deliveryId) {
    DeliveryStore.Pending p = deliveries.pending(deliveryId);
    if (p.delivery().status() != DeliveryStatus.PENDING) {
      return; // sent already (a retry after the send went through)
    }
    ChannelSpec channel;
    try {
      channel = channels.withSecrets(p.delivery().channelId());
    } catch (NotFoundException deleted) {
      deliveries.failed(deliveryId, "the channel was deleted");
      return;
    }
    try {
      sending.send(channel, p.message(), deliveryId);
      deliveries.sent(deliveryId);
    } catch (ChannelSender.DeliveryException e) {
      deliveries.attempted(deliveryId, e.getMessage(), e.detail());
      log.info("delivery {} to channel {} failed: {}", deliveryId, channel.name(), e.getMessage());
      throw e.permanent()
          ? ApplicationFailure.newNonRetryableFailure(e.getMessage(), "CHANNEL_MISCONFIGURED")
          : ApplicationFailure.newFailure(e.getMessage(), "CHANNEL_FAILED");
    }
  }

  @Override
  public boolean callbackPending(String ticketId) {
    return callbacks.find(ticketId).map(c -> c.status() == DeliveryStatus.PENDING).orElse(false);
  }

  /** The same JSON as a webhook channel's TICKET_FINISHED, signed the same way when the callback has a secret. */
  @Override
  public void deliverCallback(String ticketId) {
    var callback = callbacks.find(ticketId).orElse(null);
    if (callback == null || callback.status() != DeliveryStatus.PENDING) {
      return;
    }
    TicketStore.TicketRow t = tickets.get(ticketId);
    String body = composer.ticket(NotificationEvent.TICKET_FINISHED, t, tickets.hosts(ticketId),
        MessageComposer.worstHosts(reports.nonCompliantPatchesOf(ticketId), null, false),
        "Ticket " + t.id() + " " + t.status()).payloadJson();
    try {
      webhooks.post(callback.url(), callback.secret(), NotificationEvent.TICKET_FINISHED.name(), "callback-" + ticketId,
          body);
      callbacks.sent(ticketId);
    } catch (ChannelSender.DeliveryException e) {
      callbacks.attempted(ticketId, e.getMessage(), e.detail());
      log.info("callback of ticket {} failed: {}", ticketId, e.getMessage());
      throw ApplicationFailure.newFailure(e.getMessage(), "CALLBACK_FAILED");
    }
  }

  @Override
  public void recordCallbackFailed(String ticketId, String error) {
    callbacks.failed(ticketId, error);
    log.warn("callback of ticket {} failed for good: {}", ticketId, error);
  }

  @Override
  public void recordFailed(long deliveryId, String error) {
    deliveries.failed(deliveryId, error);
    log.warn("delivery {} failed for good: {}", deliveryId, error);
  }
}
