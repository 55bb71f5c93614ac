package io.patchloop.workflows.ticket;

import io.patchloop.workflows.scan.ScanActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** The activity options of host work: transient failures retried with backoff, deterministic ones not at all. */
final class HostStepActivities {

  /** Error kinds that fail the same way however often they are tried (see HostErrorKind). */
  static final String[] NOT_RETRYABLE = {
    "AUTH_FAILED", "HOST_KEY_REFUSED", "COMMAND_FAILED", "OUTPUT_UNPARSEABLE", "NO_BASELINE"
  };

  static final ActivityOptions SCAN = ActivityOptions.newBuilder()
      // the collector's own command timeout is 5 minutes; connecting adds seconds
      .setStartToCloseTimeout(Duration.ofMinutes(6))
      // the activity heartbeats every 5 s while it waits on the host: a dead worker is noticed in 20 s
      .setHeartbeatTimeout(Duration.ofSeconds(20))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(5))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(3)
          .setDoNotRetry(NOT_RETRYABLE)
          .build())
      .build();

  static final ActivityOptions RECORDS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(30)).build())
      .build();

  private HostStepActivities() {}

}
