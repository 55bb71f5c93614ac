package io.patchloop.workflows.notify;

import io.patchloop.workflows.ActivityFailures;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Prepares the deliveries, sends them side by side, records the ones that keep failing. */
public class NotifyWorkflowImpl implements NotifyWorkflow {

  /** Sending is retried this often before the delivery is recorded FAILED. */
  static final int DELIVERY_ATTEMPTS = 4;

  private final NotificationActivities records = Workflow.newActivityStub(NotificationActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());
  private final NotificationActivities sender = Workflow.newActivityStub(NotificationActivities.class,
      ActivityOptions.newBuilder()
          // a channel's own timeouts are 10-30 s; this only backs them up
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setBackoffCoefficient(2.0)
              .setMaximumInterval(Duration.ofSeconds(30))
              .setMaximumAttempts(DELIVERY_ATTEMPTS)
              .setDoNotRetry("CHANNEL_MISCONFIGURED")
              .build())
          .build());

  @Override
  public void send(NotifyRequest request) {
    List<Long> deliveries = records.prepare(request);
    List<Promise<Void>> sends = new ArrayList<>();
    if (NotifyRequest.TICKET_ENDED.equals(request.kind()) && records.callbackPending(request.ticketId())) {
      sends.add(Async.procedure(this::callback, request.ticketId()));
    }
    for (Long id : deliveries) {
      sends.add(Async.procedure(this::deliver, id));
    }
    Promise.allOf(sends).get();
  }

  private void deliver(long id) {
    try {
      sender.deliver(id);
    } catch (ActivityFailure failure) {
      records.recordFailed(id, ActivityFailures.message(failure));
    }
  }

  private void callback(String ticketId) {
    try {
      sender.deliverCallback(ticketId);
    } catch (ActivityFailure failure) {
      records.recordCallbackFailed(ticketId, ActivityFailures.message(failure));
    }
  }
}
