package io.patchloop.tickets;

import io.patchloop.common.JsonText;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.notifications.ChannelSender;
import io.patchloop.notifications.WebhookSender;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.ticket.BatchHookActivities;
import io.patchloop.workflows.ticket.BatchHookCall;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls a ticket's batch hook: the webhook's signed POST ({@code X-Patchloop-Signature}, {@code
 * X-Patchloop-Event: BATCH_STARTING | BATCH_FINISHED}) under the outbound policy and its deadline.
 * Each attempt is recorded on the ticket's hook; a refusal (4xx, a refused destination) is not
 * tried again.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class BatchHookActivitiesImpl implements BatchHookActivities {

  private static final Logger log = LoggerFactory.getLogger(BatchHookActivitiesImpl.class);

  private final TicketBatchHooks hooks;
  private final TicketStore tickets;
  private final WebhookSender webhook;

  public BatchHookActivitiesImpl(TicketBatchHooks hooks, TicketStore tickets, WebhookSender webhook) {
    this.hooks = hooks;
    this.tickets = tickets;
    this.webhook = webhook;
  }

  @Override
  public void callBatchHook(BatchHookCall call) {
    TicketBatchHooks.BatchHook hook = hooks.find(call.ticketId()).orElseThrow(() ->
        ApplicationFailure.newNonRetryableFailure("ticket " + call.ticketId() + " has no batch hook", FAILED));
    Map<String, String> names = new LinkedHashMap<>();
    for (TicketStore.TicketHostRow h : tickets.hosts(call.ticketId())) {
      names.put(String.valueOf(h.hostId()), h.hostName());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", call.event());
    body.put("ticketId", call.ticketId());
    body.put("batch", call.batch());
    body.put("batchCount", call.batchCount());
    List<Map<String, Object>> hosts = call.hostIds().stream()
        .map(id -> {
          Map<String, Object> h = new LinkedHashMap<>();
          h.put("id", id);
          h.put("name", names.get(String.valueOf(id)));
          return h;
        })
        .toList();
    body.put("hosts", hosts);
    if (BatchHookCall.FINISHED.equals(call.event())) {
      body.put("succeeded", call.succeeded());
      body.put("failed", call.failed());
      body.put("notRun", call.notRun());
    }
    String delivery = call.ticketId() + "/batch-" + call.batch() + "/" + call.event();
    try {
      webhook.post(hook.url(), hook.secret(), call.event(), delivery, JsonText.write(body));
      hooks.called(call.ticketId(), null);
    } catch (ChannelSender.DeliveryException e) {
      // what the remote end said, cut and cleaned: operators read it on the ticket
      String why = e.getMessage() + (e.detail() == null ? "" : ": " + HostDataLimits.hostText(e.detail(), 200));
      hooks.called(call.ticketId(), why);
      log.info("ticket {}: batch hook {} (attempt {}) failed: {}", call.ticketId(), delivery, attempt(), why);
      String message = "the batch hook " + call.event() + " of batch " + call.batch() + " failed: " + why;
      throw e.permanent() ? ApplicationFailure.newNonRetryableFailure(message, FAILED)
          : ApplicationFailure.newFailure(message, FAILED);
    }
  }

  private static int attempt() {
    try {
      return Activity.getExecutionContext().getInfo().getAttempt();
    } catch (RuntimeException notInAnActivity) {
      return 1;
    }
  }
}
